import {
  readBundleSettings,
  touchDeploymentsChecked,
  writeDeploymentStatusesAt,
  type BundleDeployment,
  type Cluster,
  type DeploymentStatusRow,
} from '@flotilla/db';
import { BUNDLE_ID_LABEL, listLive, WORKSPACE_ID_LABEL, type ClusterClient } from '@flotilla/kube';
import { isDeepStrictEqual } from 'node:util';
import { recordStateChanges } from '../events/record-events.ts';
import { syncWindowVerdictFor } from '../sync-windows/load-sync-windows.ts';
import type { WorkerContext } from '../worker-context.ts';
import { assessApplied } from './assess-applied.ts';
import { loadRevisions } from './revision-cache.ts';
import {
  forgetSettled,
  isStillSettled,
  liveByBundle,
  isRememberedByMonitor,
  rememberSettled,
  settledBundleKey,
  type SettledInputs,
} from './settled-memory.ts';

export interface InspectOutcome {
  checked: number;
  changed: number;
  /** Deployments found Modified whose options ask for drift correction. */
  toCorrect: string[];
  listErrors: number;
  /** Deployments left NotReady: their objects are still rolling out, a look soon will tell. */
  unsettled: number;
  /** Deployments Ready from the very inputs they were last found Ready from: not assessed again. */
  settled: number;
}

/** Up to this many bundles, the live read asks the cluster for their objects only. */
const MAX_BUNDLES_IN_SELECTOR = 20;

function labelSelectorFor(workspaceId: string, bundleIds: readonly string[]): string {
  const workspace = `${WORKSPACE_ID_LABEL}=${workspaceId}`;
  if (bundleIds.length > MAX_BUNDLES_IN_SELECTOR) return workspace;
  return `${workspace},${BUNDLE_ID_LABEL} in (${[...bundleIds].sort().join(',')})`;
}

/**
 * Reads a cluster's live objects for some of its deployments (one LIST per kind, by the
 * ownership labels, never a GET per object), computes each resource's health and drift,
 * derives each deployment's state, and writes them all in one statement. State changes become
 * events.
 */
export async function inspectDeployments({
  ctx,
  cluster,
  client,
  deployments,
}: {
  ctx: WorkerContext;
  cluster: Cluster;
  client: ClusterClient;
  deployments: BundleDeployment[];
}): Promise<InspectOutcome> {
  const applied = deployments.filter(
    (deployment) => deployment.appliedHash !== null && !deployment.isOrphaned,
  );
  const outcome: InspectOutcome = {
    checked: applied.length,
    changed: 0,
    toCorrect: [],
    listErrors: 0,
    unsettled: 0,
    settled: 0,
  };
  if (applied.length === 0) return outcome;
  const bundleIds = [...new Set(applied.map((deployment) => deployment.bundleId))];
  const behind = applied.flatMap((deployment) =>
    deployment.targetHash && deployment.targetHash !== deployment.appliedHash
      ? [deployment.targetHash]
      : [],
  );
  const [revisions, bundles, emptyRevisions, windowVerdict] = await Promise.all([
    loadRevisions(
      ctx,
      cluster.workspaceId,
      applied.map((deployment) => deployment.appliedHash!),
    ),
    readBundleSettings(ctx.db, bundleIds),
    // Only deployments behind their target can be held: usually none, so usually no query.
    behind.length === 0
      ? Promise.resolve(new Set<string>())
      : ctx.db.bundleRevision
          .findMany({
            where: { workspaceId: cluster.workspaceId, hash: { in: behind }, resourceCount: 0 },
            select: { hash: true },
          })
          .then((rows) => new Set(rows.map((row) => row.hash))),
    syncWindowVerdictFor({ db: ctx.db, cluster, now: ctx.now() }),
  ]);

  const kinds = new Map<string, { apiVersion: string; kind: string; namespaces: Set<string> }>();
  for (const deployment of applied) {
    for (const object of revisions.get(deployment.appliedHash!)?.objects ?? []) {
      const key = `${object.apiVersion}|${object.kind}`;
      const entry = kinds.get(key) ?? {
        apiVersion: object.apiVersion,
        kind: object.kind,
        namespaces: new Set<string>(),
      };
      entry.namespaces.add(object.metadata.namespace ?? '');
      kinds.set(key, entry);
    }
  }
  const live = await listLive(client, {
    kinds: [...kinds.values()].map((entry) => ({
      apiVersion: entry.apiVersion,
      kind: entry.kind,
      namespaces: [...entry.namespaces],
    })),
    labelSelector: labelSelectorFor(cluster.workspaceId, bundleIds),
  });
  outcome.listErrors = live.errors.length;

  // Deployments found as they were from the same inputs are not assessed again (settled-memory).
  const bundleKeys = new Map(bundles.map((bundle) => [bundle.id, settledBundleKey(bundle)]));
  const liveOf = live.errors.length === 0 ? liveByBundle(live.objects) : undefined;
  const holdKey = windowVerdict.isAllowed
    ? ''
    : `held until ${windowVerdict.until?.toISOString() ?? 'further notice'}`;
  const inputsOf = (deployment: BundleDeployment): SettledInputs => ({
    deployment,
    bundleKey: bundleKeys.get(deployment.bundleId) ?? '',
    live: liveOf ? (liveOf.get(deployment.bundleId) ?? []) : undefined,
    holdKey,
  });
  const settled = applied.filter((deployment) => isStillSettled(ctx, inputsOf(deployment)));
  const settledIds = new Set(settled.map((deployment) => deployment.id));
  outcome.settled = settledIds.size;
  const assessment = assessApplied({
    cluster,
    deployments: applied.filter((deployment) => !settledIds.has(deployment.id)),
    revisions,
    bundles,
    live,
    emptyRevisions,
    syncWindowHold: windowVerdict.isAllowed ? null : { until: windowVerdict.until },
    now: ctx.now(),
  });
  outcome.unsettled = assessment.unsettled;
  // A fleet at rest looks the same pass after pass: rewriting every row (resources and all)
  // each monitor interval would be most of Postgres's work. Unchanged rows only get their time.
  const before = new Map(applied.map((deployment) => [deployment.id, deployment]));
  const isUnchanged = (row: DeploymentStatusRow) => {
    const stored = before.get(row.id);
    return (
      stored !== undefined &&
      stored.state === row.state &&
      stored.message === row.message &&
      isDeepStrictEqual(stored.counts, row.counts) &&
      isDeepStrictEqual(stored.resources, row.resources)
    );
  };
  const unchanged = assessment.rows.filter(isUnchanged);
  const changed = assessment.rows.filter((row) => !isUnchanged(row));
  // Only while each row still holds the revision assessed: a deploy may have applied a newer
  // one since this pass read it (its state is newer than this assessment).
  const written = new Set(
    await writeDeploymentStatusesAt(
      ctx.db,
      changed.map((row) => ({ ...row, appliedHash: before.get(row.id)?.appliedHash ?? '' })),
    ),
  );
  const unchangedIds = new Set(unchanged.map((row) => row.id));
  const isCurrent = (id: string) => written.has(id) || unchangedIds.has(id);
  const toCorrect = new Set(assessment.toCorrect);
  for (const row of assessment.rows) {
    const stored = before.get(row.id);
    if (!stored) continue;
    if (isCurrent(row.id) && isRememberedByMonitor(row) && !toCorrect.has(row.id))
      rememberSettled(ctx, inputsOf({ ...stored, state: row.state, message: row.message }), row);
    else forgetSettled(ctx, row.id);
  }
  await touchDeploymentsChecked(ctx.db, [...settledIds, ...unchangedIds], ctx.now());
  const changes = assessment.changes.filter((change) => isCurrent(change.deploymentId));
  outcome.changed = changes.length;
  outcome.toCorrect = assessment.toCorrect.filter(isCurrent);
  await recordStateChanges({ ctx, changes });
  return outcome;
}
