import { isDeepStrictEqual } from 'node:util';
import {
  touchDeploymentsChecked,
  writeDeploymentApplies,
  writeDeploymentHistory,
  writeDeploymentStatuses,
  type DeploymentApplyRow,
  type DeploymentHistoryRow,
  type DeploymentStatusRow,
  type Prisma,
} from '@flotilla/db';
import { countResources, stateOfResources } from '@flotilla/engine';
import { bundleOptionsOf } from '../bundles/bundle-options-column.ts';
import { recordConnectivityTransition } from '../connectivity/record-probe-result.ts';
import type { CoreContext } from '../context.ts';
import {
  DEFAULT_HISTORY_PER_DEPLOYMENT,
  historyRow,
  historyTrigger,
} from '../deployments/record-history.ts';
import {
  recordActionEvent,
  recordStateChanges,
  type StateChange,
} from '../events/record-events.ts';
import type { AgentPrincipal } from './agent-principal.ts';
import type { AgentStateReport } from './schemas.ts';

export interface AgentReportOutcome {
  /** Deployments whose report was written. */
  accepted: string[];
  /** Ids that are not (or no longer) deployments of this cluster: ignored. */
  ignored: string[];
  pruned: number;
}

/**
 * What an agent found on its cluster, written as the worker writes its own findings: the
 * server derives each state from the reported resources with the engine's stateOfResources and
 * its own facts (target, desired, pause, prune hold), so agent and direct clusters share one
 * set of states; applies go through writeDeploymentApplies, checks through
 * writeDeploymentStatuses. Only the agent's own cluster's deployments are touched; an applied
 * hash the deployment never desired is ignored (a late report of an older revision).
 */
export async function reportAgentState({
  ctx,
  agent,
  report,
}: {
  ctx: Pick<CoreContext, 'db' | 'redis' | 'logger' | 'now' | 'queues' | 'historyPerDeployment'>;
  agent: AgentPrincipal;
  report: AgentStateReport;
}): Promise<AgentReportOutcome> {
  const now = ctx.now();
  // A report is a sign of life as good as a heartbeat: a cluster held Offline (its agent was
  // silent) is Online again before its deployments show what the agent found, never Ready
  // deployments on an Offline cluster.
  const { count: cameBack } = await ctx.db.cluster.updateMany({
    where: { id: agent.clusterId, connectivity: { not: 'Online' } },
    data: {
      connectivity: 'Online',
      connectivityMessage: '',
      lastSeenAt: now,
      lastHeartbeatAt: now,
    },
  });
  if (cameBack > 0) {
    await recordConnectivityTransition(
      ctx,
      { id: agent.clusterId, name: agent.clusterName, workspaceId: agent.workspaceId },
      'Online',
      `cluster ${agent.clusterName} is online: its agent reports in`,
    );
  }
  const ids = [...new Set([...report.deployments.map((entry) => entry.id), ...report.pruned])];
  const rows = await ctx.db.bundleDeployment.findMany({
    where: { id: { in: ids }, clusterId: agent.clusterId, workspaceId: agent.workspaceId },
    include: {
      bundle: {
        select: { id: true, paused: true, options: true, name: true, pinnedCommit: true },
      },
    },
  });
  const byId = new Map(rows.map((row) => [row.id, row]));
  const outcome: AgentReportOutcome = { accepted: [], ignored: [], pruned: 0 };
  const targetsBehind = rows.flatMap((row) =>
    row.targetHash && row.targetHash !== row.appliedHash ? [row.targetHash] : [],
  );
  const emptyRevisions =
    targetsBehind.length === 0
      ? new Set<string>()
      : new Set(
          (
            await ctx.db.bundleRevision.findMany({
              where: {
                workspaceId: agent.workspaceId,
                hash: { in: targetsBehind },
                resourceCount: 0,
              },
              select: { hash: true },
            })
          ).map((row) => row.hash),
        );

  const applies: DeploymentApplyRow[] = [];
  const statuses: DeploymentStatusRow[] = [];
  const unchanged: string[] = [];
  const failures: { id: string; error: string; inventory: Prisma.InputJsonValue }[] = [];
  const changes: StateChange[] = [];
  // What the agent applied, or newly failed to apply, goes into the history as the worker's
  // deploys do; a failure reported again pass after pass is one entry.
  const history: DeploymentHistoryRow[] = [];
  for (const entry of report.deployments) {
    const row = byId.get(entry.id);
    if (!row || row.isOrphaned) {
      outcome.ignored.push(entry.id);
      continue;
    }
    const isNewApply = entry.appliedHash !== null && entry.appliedHash !== row.appliedHash;
    if (isNewApply && entry.appliedHash !== row.desiredHash) {
      outcome.ignored.push(entry.id);
      continue;
    }
    const appliedHash = entry.appliedHash ?? row.appliedHash;
    const options = bundleOptionsOf(row.bundle.options);
    const { state, message } = stateOfResources(
      {
        targetHash: row.targetHash,
        desiredHash: row.desiredHash,
        appliedHash,
        lastError: entry.error,
        isPaused: row.bundle.paused || options.paused,
        isPruneHeld:
          row.targetHash !== null &&
          row.targetHash !== appliedHash &&
          emptyRevisions.has(row.targetHash) &&
          row.pruneConfirmedHash !== row.targetHash &&
          options.allowEmpty !== true,
      },
      entry.resources,
    );
    const status: DeploymentStatusRow = {
      id: row.id,
      state,
      message,
      counts: { ...countResources(entry.resources) },
      resources: entry.resources as unknown as Prisma.InputJsonValue,
      stateChangedAt: state !== row.state ? now : null,
      checkedAt: now,
    };
    outcome.accepted.push(row.id);
    if (state !== row.state) {
      changes.push({
        workspaceId: row.workspaceId,
        deploymentId: row.id,
        bundleId: row.bundleId,
        clusterId: row.clusterId,
        fromState: row.state,
        toState: state,
        message,
      });
    }
    const inventory = entry.inventory as unknown as Prisma.InputJsonValue;
    const trigger = historyTrigger({
      deployment: row,
      pinnedCommit: row.bundle.pinnedCommit,
      isCorrection: false,
      // An agent retries on its own and does not say so: its entries name the commit.
      isRetry: false,
    });
    if (entry.error !== null) {
      failures.push({ id: row.id, error: entry.error, inventory });
      statuses.push(status);
      if (entry.error !== row.lastError && row.desiredHash !== null) {
        history.push(
          historyRow(
            {
              deployment: row,
              revisionHash: row.desiredHash,
              result: 'failed',
              error: entry.error,
              trigger,
            },
            now,
          ),
        );
      }
    } else if (appliedHash !== null && (isNewApply || row.lastError !== null)) {
      if (isNewApply) {
        history.push(
          historyRow(
            { deployment: row, revisionHash: appliedHash, result: 'applied', trigger },
            now,
          ),
        );
      }
      applies.push({
        ...status,
        appliedHash,
        appliedCommit: isNewApply ? row.desiredCommit : row.appliedCommit,
        appliedAt: now,
        inventory,
      });
    } else if (
      row.state === state &&
      row.message === message &&
      isDeepStrictEqual(row.counts, status.counts) &&
      isDeepStrictEqual(row.resources, entry.resources)
    ) {
      // A fleet at rest reports the same thing pass after pass: only the time is written.
      unchanged.push(row.id);
    } else {
      statuses.push(status);
    }
  }
  for (const failure of failures) {
    await ctx.db.bundleDeployment.update({
      where: { id: failure.id },
      data: { lastError: failure.error, inventory: failure.inventory, attempts: { increment: 1 } },
    });
  }
  await writeDeploymentApplies(ctx.db, applies);
  await writeDeploymentStatuses(ctx.db, statuses);
  await touchDeploymentsChecked(ctx.db, unchanged, now);
  await writeDeploymentHistory(
    ctx.db,
    history,
    ctx.historyPerDeployment ?? DEFAULT_HISTORY_PER_DEPLOYMENT,
  );
  await recordStateChanges({ ctx, changes });

  for (const id of report.pruned) {
    const row = byId.get(id);
    if (!row?.isOrphaned) {
      if (!outcome.ignored.includes(id)) outcome.ignored.push(id);
      continue;
    }
    // As the worker's prune: the row goes once its objects are gone, and the bundle is planned
    // again in case the cluster was targeted anew meanwhile.
    const { count } = await ctx.db.bundleDeployment.deleteMany({ where: { id, isOrphaned: true } });
    if (count === 1) {
      outcome.pruned += 1;
      await recordActionEvent({
        ctx,
        event: {
          workspaceId: row.workspaceId,
          type: 'Pruned',
          clusterId: row.clusterId,
          bundleId: row.bundleId,
          message: `removed ${row.bundle.name} from ${agent.clusterName}: the cluster is no longer targeted`,
        },
      });
    }
    await ctx.queues.enqueuePlan({ bundleId: row.bundleId });
  }
  return outcome;
}
