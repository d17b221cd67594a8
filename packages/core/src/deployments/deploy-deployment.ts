import {
  readDeploymentsWithTargets,
  writeDeploymentApplies,
  type BundleDeployment,
  type Cluster,
  type DeploymentApplyRow,
  type Prisma,
} from '@flotilla/db';
import { objectIdentity, stateMessage, type ObjectRef } from '@flotilla/engine';
import {
  applyObjects,
  describeConflict,
  ensureNamespaces,
  findOwnershipConflicts,
  FIELD_MANAGER,
  ownerLabel,
  pruneObjects,
  withOwnership,
  type ClusterClient,
  type OwnershipConflict,
} from '@flotilla/kube';
import { clusterClientFor } from '../connectivity/cluster-client.ts';
import { confirmClusterDown } from '../connectivity/confirm-cluster-down.ts';
import { isClusterReachable } from '../connectivity/reachability-policy.ts';
import {
  publishUpdates,
  recordActionEvent,
  recordStateChanges,
  type StateChange,
} from '../events/record-events.ts';
import type { WorkerContext } from '../worker-context.ts';
import { batched, perContext } from './batching.ts';
import { noteClusterSeen } from './cluster-seen.ts';
import { assessApplied } from './assess-applied.ts';
import { markState, stateWritten } from './mark-state.ts';
import { loadRevisions } from './revision-cache.ts';
import { storedInventory } from './resources.ts';
import { hookRefs, planHookRun, runPostHooks, runPreHooks } from './run-helm-hooks.ts';
import { rolloutTracker } from './rollout-tracker.ts';
import {
  forgetSettled,
  isSettledRow,
  rememberSettled,
  settledBundleKey,
} from './settled-memory.ts';
import { historyTrigger, recordHistory } from './record-history.ts';

export type DeployOutcome =
  | { result: 'skipped'; why: string }
  | { result: 'applied'; objects: number; pruned: number }
  | { result: 'pruned'; objects: number }
  | { result: 'failed'; message: string };

/** A deploy that should be retried by the queue (with backoff). */
export class RetryableDeployError extends Error {
  override readonly name = 'RetryableDeployError';
}

/*
 * Deploy jobs run side by side (FLOTILLA_WORKER_CONCURRENCY): their reads and writes of
 * Postgres are batched across jobs, so a commit reaching a thousand clusters costs a few dozen
 * statements rather than several thousand. Only the cluster requests stay one job's own.
 */
const deploymentLoader = perContext((ctx: WorkerContext) =>
  batched(async (ids: readonly string[]) => {
    const rows = await readDeploymentsWithTargets(ctx.db, ids);
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id));
  }),
);

interface AppliedWrite {
  row: DeploymentApplyRow;
  changes: StateChange[];
}

const appliedWriter = perContext((ctx: WorkerContext) =>
  batched(async (writes: readonly AppliedWrite[]) => {
    await writeDeploymentApplies(
      ctx.db,
      writes.map((write) => write.row),
    );
    await recordStateChanges({ ctx, changes: writes.flatMap((write) => write.changes) });
    return writes.map(() => undefined);
  }),
);

/**
 * Namespaces a deploy found on a cluster lately: the next deploys there skip the GET that
 * checks for them. A failed apply forgets them, so a namespace deleted by hand is created again
 * on the retry.
 */
const NAMESPACE_MEMORY_MS = 30 * 60_000;
const knownNamespaces = perContext((_ctx: WorkerContext) => new Map<string, Map<string, number>>());

async function ensureNamespacesOnce(
  ctx: WorkerContext,
  cluster: Cluster,
  client: ClusterClient,
  names: readonly string[],
) {
  const known = knownNamespaces(ctx).get(cluster.id) ?? new Map<string, number>();
  const now = Date.now();
  const missing = [...new Set(names)].filter(
    (name) => name !== '' && !((known.get(name) ?? 0) > now - NAMESPACE_MEMORY_MS),
  );
  if (missing.length === 0) return { created: [], failed: [] };
  const result = await ensureNamespaces(client, missing);
  const failed = new Set(result.failed.map((failure) => failure.name));
  for (const name of missing) if (!failed.has(name)) known.set(name, now);
  knownNamespaces(ctx).set(cluster.id, known);
  return result;
}

function forgetNamespaces(ctx: WorkerContext, cluster: Cluster, names: readonly string[]) {
  const known = knownNamespaces(ctx).get(cluster.id);
  for (const name of names) known?.delete(name);
}

/**
 * Converges one deployment to its desired revision: server-side apply of every object (with
 * the field manager "flotilla", namespaces and CRDs first), prune of what left the inventory,
 * then an immediate health and drift check. When applied already equals desired and nothing
 * drifted, it costs no request at all. One failing object fails the deployment (ErrApplied,
 * naming the object and the API server's reason) but never stops the others being applied.
 * The exception is an object that exists on the cluster and is not this bundle's: it holds the
 * whole deployment (ErrApplied naming each such object) unless the bundle sets takeOwnership.
 */
export async function deployDeployment({
  ctx,
  deploymentId,
  desiredHash,
  isCorrection,
  isFinalAttempt,
  isRetry = false,
}: {
  ctx: WorkerContext;
  deploymentId: string;
  desiredHash: string;
  isCorrection: boolean;
  isFinalAttempt: boolean;
  /** The queue runs this job again after a failed attempt (the history says "retry"). */
  isRetry?: boolean;
}): Promise<DeployOutcome> {
  const deployment = await deploymentLoader(ctx)(deploymentId);
  if (!deployment) return { result: 'skipped', why: 'deployment no longer exists' };
  const { cluster, bundle } = deployment;
  // The job carries only ids: check again that everything belongs to one workspace.
  if (
    cluster.workspaceId !== deployment.workspaceId ||
    bundle.workspaceId !== deployment.workspaceId
  ) {
    ctx.logger.error({ deploymentId }, 'deployment spans workspaces; refusing to act');
    return { result: 'skipped', why: 'workspace mismatch' };
  }
  if (desiredHash === 'prune') return prune({ ctx, deployment, cluster });
  // A newer revision replaced this one (also a failing retry): the newer job does the work.
  if (deployment.desiredHash !== desiredHash || deployment.isOrphaned)
    return { result: 'skipped', why: 'superseded' };
  if (!isClusterReachable(cluster.connectivity))
    return { result: 'skipped', why: 'cluster offline; queued again when it is back online' };
  if (
    !isCorrection &&
    deployment.appliedHash === desiredHash &&
    deployment.state !== 'Modified' &&
    !deployment.lastError
  ) {
    return { result: 'skipped', why: 'already applied' };
  }
  const revision = (await loadRevisions(ctx, deployment.workspaceId, [desiredHash])).get(
    desiredHash,
  );
  if (!revision) return { result: 'skipped', why: 'revision not found' };
  const history: HistoryOf = {
    revisionHash: desiredHash,
    trigger: historyTrigger({
      deployment,
      pinnedCommit: bundle.pinnedCommit,
      isCorrection,
      isRetry,
    }),
  };

  // Written in a batch with other jobs' while the requests below go out (mark-state).
  markState(
    ctx,
    deployment,
    'WaitApplied',
    stateMessage({
      state: 'WaitApplied',
      why: 'deploying',
      revision: { commit: deployment.desiredCommit, hash: desiredHash },
    }),
  );
  const client = clusterClientFor(ctx, cluster);
  const ownership = { workspaceId: deployment.workspaceId, bundleId: deployment.bundleId };
  const objects = revision.objects.map((object) => withOwnership(object, ownership));
  // Git is the source of truth: fields another manager took over (a hand edit through
  // `kubectl edit`) are taken back, as Argo CD's server-side apply does with force-conflicts.
  const force = true;
  const previous = storedInventory(deployment.inventory);
  // Helm hooks of a revision not applied yet: run around the apply, never part of the inventory.
  const hooks = planHookRun({ deployment, revision, ownership });

  // Forced apply would also take over an object someone else made: unless the bundle opts in
  // (takeOwnership), such an object fails the whole deployment before anything is applied, as
  // Helm fails a release (Fleet) whose objects exist without its ownership.
  if (!revision.deployOptions.takeOwnership) {
    const check = await findOwnershipConflicts(client, {
      objects: [...objects, ...(hooks?.objects ?? [])],
      known: previous,
      ownership,
    });
    if (check.conflicts.length > 0) {
      return refuseAdoption({
        ctx,
        deployment,
        history,
        bundleName: bundle.name,
        conflicts: check.conflicts,
      });
    }
    // Unread: adopting blind is what this check exists to prevent, so fail (and retry) as an
    // apply failure would; an unreachable cluster is told apart below.
    if (check.unread.length > 0) {
      return failDeployment({
        ctx,
        deployment,
        history,
        cluster,
        client,
        failures: check.unread.map((unread) => unread.reason),
        hasApplied: false,
        inventory: previous,
        isFinalAttempt,
      });
    }
  }

  const namespaceNames = [...objects, ...(hooks?.objects ?? [])].flatMap((object) =>
    object.metadata.namespace ? [object.metadata.namespace] : [],
  );
  const namespaces = await ensureNamespacesOnce(ctx, cluster, client, namespaceNames);
  // Pre hooks hold the apply until they complete; a failed one fails the deployment (naming it).
  const running = (names: string) =>
    setState(
      ctx,
      deployment,
      'WaitApplied',
      stateMessage({
        state: 'WaitApplied',
        why: 'hooks',
        hooks: names,
        revision: { commit: deployment.desiredCommit, hash: desiredHash },
      }),
    );
  const pre = hooks ? await runPreHooks(client, hooks, objects, running) : undefined;
  if (pre?.failure !== undefined) {
    const failures = [...namespaces.failed.map((failure) => failure.reason), pre.failure];
    return failDeployment({
      ...{ ctx, deployment, history, cluster, client, failures, inventory: previous },
      ...{ hasApplied: pre.hasWritten, isFinalAttempt },
    });
  }
  const applied = await applyObjects(client, objects, { fieldManager: FIELD_MANAGER, force });
  const failures = [
    ...namespaces.failed.map((failure) => failure.reason),
    ...applied.failed.map((failure) => failure.reason),
  ];

  const current = applied.applied;
  if (failures.length > 0) {
    forgetNamespaces(ctx, cluster, namespaceNames);
    return failDeployment({
      ctx,
      deployment,
      history,
      cluster,
      client,
      failures,
      hasApplied: current.length > 0,
      // Keep tracking everything that may now be on the cluster, so a later prune finds it.
      inventory: dedupe([...previous, ...current]),
      isFinalAttempt,
    });
  }

  const desiredRefs = current;
  const pruned = await pruneObjects(client, {
    previous,
    current: [...desiredRefs, ...hookRefs(revision)],
    ownerLabel: ownerLabel(ownership),
  });
  const post = hooks ? await runPostHooks(client, hooks, running) : undefined;
  if (post?.failure !== undefined) {
    const inventory = dedupe([...desiredRefs, ...pruned.failed.map((failure) => failure.ref)]);
    return failDeployment({
      ...{ ctx, deployment, history, cluster, client, failures: [post.failure], inventory },
      ...{ hasApplied: true, isFinalAttempt },
    });
  }
  const now = ctx.now();
  const fresh: BundleDeployment = {
    ...deployment,
    appliedHash: desiredHash,
    appliedCommit: deployment.desiredCommit,
    lastAppliedAt: now,
    lastError: null,
    attempts: 0,
  };
  // Right after an apply, look at the result: Ready, NotReady (not available yet) or Modified.
  // The apply's answers are the live objects, so this costs no second read of the cluster.
  const assessment = assessApplied({
    cluster,
    deployments: [fresh],
    revisions: new Map([[desiredHash, revision]]),
    bundles: [bundle],
    live: { objects: applied.live, errors: [] },
    now,
  });
  const status = assessment.rows[0];
  if (!status) throw new Error(`no status for deployment ${deployment.id}`);
  await stateWritten(deployment);
  const written = appliedWriter(ctx)({
    row: {
      ...status,
      appliedHash: desiredHash,
      appliedCommit: deployment.desiredCommit,
      appliedAt: now,
      inventory: dedupe([
        ...desiredRefs,
        ...pruned.failed.map((failure) => failure.ref),
      ]) as unknown as Prisma.InputJsonValue,
    },
    changes: assessment.changes,
  });
  await Promise.all([
    written,
    noteClusterSeen(ctx)(cluster.id),
    recordHistory({ ctx, deployment, ...history, result: 'applied' }),
  ]);
  // Ready on the apply's answers: the next monitor pass need not assess it again unless
  // something changed since (settled-memory).
  if (isSettledRow(status) && assessment.toCorrect.length === 0) {
    rememberSettled(
      ctx,
      {
        deployment: { ...fresh, state: status.state, message: status.message },
        bundleKey: settledBundleKey(bundle),
        live: applied.live,
      },
      status,
    );
  } else forgetSettled(ctx, deployment.id);
  // Still rolling out: look again soon rather than at the next monitor interval.
  if (assessment.unsettled > 0) {
    rolloutTracker(ctx).track({
      deployment: { ...fresh, state: status.state, message: status.message },
      cluster,
      client,
      revision,
      bundle,
      live: applied.live,
      status,
    });
  }
  if (isCorrection) {
    await recordActionEvent({
      ctx,
      event: {
        workspaceId: deployment.workspaceId,
        type: 'DriftCorrected',
        clusterId: cluster.id,
        bundleId: bundle.id,
        deploymentId: deployment.id,
        message: `${bundle.name} on ${cluster.name}: re-applied ${objects.length} objects from Git`,
      },
    });
  }
  return { result: 'applied', objects: objects.length, pruned: pruned.deleted.length };
}

/**
 * Records a failed deploy as ErrApplied, then throws to be retried unless it was the last
 * attempt; a cluster found down is retried without counting as a failure of the deployment.
 */
/** What a deploy's history entry says beyond the deployment: the revision and why it ran. */
interface HistoryOf {
  revisionHash: string;
  trigger: ReturnType<typeof historyTrigger>;
}

async function failDeployment({
  ctx,
  deployment,
  history,
  cluster,
  client,
  failures,
  hasApplied,
  inventory,
  isFinalAttempt,
}: {
  ctx: WorkerContext;
  deployment: BundleDeployment;
  history: HistoryOf;
  cluster: Cluster;
  client: ClusterClient;
  failures: string[];
  hasApplied: boolean;
  inventory: ObjectRef[];
  isFinalAttempt: boolean;
}): Promise<DeployOutcome> {
  if (!hasApplied && (await confirmClusterDown({ ctx, cluster, client }))) {
    throw new RetryableDeployError(`cluster ${cluster.name} unreachable during deploy`);
  }
  const message =
    failures.length === 1
      ? failures[0]!
      : `${failures.length} objects failed: ${failures.join('; ')}`;
  await ctx.db.bundleDeployment.update({
    where: { id: deployment.id },
    data: {
      lastError: message,
      inventory: inventory as unknown as Prisma.InputJsonValue,
      attempts: { increment: 1 },
    },
  });
  await setState(
    ctx,
    deployment,
    'ErrApplied',
    stateMessage({ state: 'ErrApplied', error: message }),
  );
  await recordHistory({ ctx, deployment, ...history, result: 'failed', error: message });
  if (!isFinalAttempt) throw new RetryableDeployError(message);
  return { result: 'failed', message };
}

/**
 * Objects on the cluster that are not this bundle's: ErrApplied naming each, nothing applied.
 * Not retried: only a person can settle it (delete the object, or set takeOwnership, which
 * makes a new revision), and a later deploy of the deployment checks again.
 */
async function refuseAdoption({
  ctx,
  deployment,
  history,
  bundleName,
  conflicts,
}: {
  ctx: WorkerContext;
  deployment: BundleDeployment;
  history: HistoryOf;
  bundleName: string;
  conflicts: OwnershipConflict[];
}): Promise<DeployOutcome> {
  const ownerIds = [...new Set(conflicts.flatMap((conflict) => conflict.ownerBundleId ?? []))];
  // Only bundles of this workspace are named: another tenant's bundle stays anonymous.
  const owners =
    ownerIds.length === 0
      ? []
      : await ctx.db.bundle.findMany({
          where: { id: { in: ownerIds }, workspaceId: deployment.workspaceId },
          select: { id: true, name: true },
        });
  const ownerNames = new Map(owners.map((owner) => [owner.id, owner.name]));
  const reasons = conflicts.map((conflict) =>
    describeConflict(
      conflict,
      bundleName,
      conflict.ownerBundleId ? ownerNames.get(conflict.ownerBundleId) : undefined,
    ),
  );
  const message =
    reasons.length === 1
      ? reasons[0]!
      : `${reasons.length} objects conflict: ${reasons.join('; ')}`;
  await ctx.db.bundleDeployment.update({
    where: { id: deployment.id },
    data: { lastError: message, attempts: { increment: 1 } },
  });
  await setState(
    ctx,
    deployment,
    'ErrApplied',
    stateMessage({ state: 'ErrApplied', error: message }),
  );
  await recordHistory({ ctx, deployment, ...history, result: 'failed', error: message });
  return { result: 'failed', message };
}

async function prune({
  ctx,
  deployment,
  cluster,
}: {
  ctx: WorkerContext;
  deployment: BundleDeployment;
  cluster: Cluster;
}): Promise<DeployOutcome> {
  if (!deployment.isOrphaned) return { result: 'skipped', why: 'targeted again' };
  const client = clusterClientFor(ctx, cluster);
  const ownership = { workspaceId: deployment.workspaceId, bundleId: deployment.bundleId };
  const previous = storedInventory(deployment.inventory);
  const result = await pruneObjects(client, {
    previous,
    current: [],
    ownerLabel: ownerLabel(ownership),
  });
  if (result.failed.length > 0) {
    if (await confirmClusterDown({ ctx, cluster, client }))
      throw new RetryableDeployError(`cluster ${cluster.name} unreachable during prune`);
    throw new RetryableDeployError(result.failed.map((failure) => failure.reason).join('; '));
  }
  // Targeted again while we pruned: forget what was applied so the next plan deploys it anew.
  const { count } = await ctx.db.bundleDeployment.deleteMany({
    where: { id: deployment.id, isOrphaned: true },
  });
  if (count === 0) {
    await ctx.db.bundleDeployment.update({
      where: { id: deployment.id },
      data: { appliedHash: null, appliedCommit: null, inventory: [] },
    });
  } else {
    await recordActionEvent({
      ctx,
      event: {
        workspaceId: deployment.workspaceId,
        type: 'Pruned',
        clusterId: cluster.id,
        bundleId: deployment.bundleId,
        message: `removed ${result.deleted.length} objects from ${cluster.name}: the cluster is no longer targeted`,
      },
    });
    // The row is gone: pages listing it (the bundle's, the cluster's, the matrix) refresh now,
    // not at the next unrelated change (the event above refreshes only the events page).
    await publishUpdates(ctx, deployment.workspaceId, [
      {
        type: 'deployment',
        deploymentId: deployment.id,
        bundleId: deployment.bundleId,
        clusterId: cluster.id,
        state: 'Removed',
        fromState: deployment.state,
      },
    ]);
  }
  // Plan again either way: a plan that read this row before the delete above (the cluster was
  // targeted again meanwhile) wrote its decision to a row that no longer exists; without a
  // fresh plan that cluster would stay without the bundle.
  await ctx.queues.enqueuePlan({ bundleId: deployment.bundleId });
  return { result: 'pruned', objects: result.deleted.length };
}

async function setState(
  ctx: WorkerContext,
  deployment: BundleDeployment,
  state: BundleDeployment['state'],
  message: string,
) {
  await stateWritten(deployment);
  if (deployment.state === state && deployment.message === message) return;
  await ctx.db.bundleDeployment.update({
    where: { id: deployment.id },
    data: { state, message, stateChangedAt: ctx.now() },
  });
  if (deployment.state !== state) {
    await recordStateChanges({
      ctx,
      changes: [
        {
          workspaceId: deployment.workspaceId,
          deploymentId: deployment.id,
          bundleId: deployment.bundleId,
          clusterId: deployment.clusterId,
          fromState: deployment.state,
          toState: state,
          message,
        },
      ],
    });
  }
  deployment.state = state;
  deployment.message = message;
}

/** Once per object, by group (objectIdentity): a later ref (the current apply's version) wins. */
function dedupe(refs: ObjectRef[]): ObjectRef[] {
  return [...new Map(refs.map((ref) => [objectIdentity(ref), ref])).values()];
}
