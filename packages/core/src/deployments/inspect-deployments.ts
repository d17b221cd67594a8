import {
  touchDeploymentsChecked,
  writeDeploymentStatuses,
  type BundleDeployment,
  type Cluster,
  type DeploymentState,
  type DeploymentStatusRow,
} from '@flotilla/db';
import {
  apiGroupOf,
  computeDrift,
  deriveDeploymentState,
  identityOfObject,
  resourceHealth,
  type KubeObject,
} from '@flotilla/engine';
import {
  BUNDLE_ID_LABEL,
  listLive,
  WORKSPACE_ID_LABEL,
  withOwnership,
  type ClusterClient,
  type LiveResult,
} from '@flotilla/kube';
import { isDeepStrictEqual } from 'node:util';
import { bundleOptionsOf } from '../bundles/bundle-options-column.ts';
import { recordStateChanges, type StateChange } from '../events/record-events.ts';
import type { WorkerContext } from '../worker-context.ts';
import { countResources, type DeploymentResource } from './resources.ts';
import { loadRevisions, type Revision } from './revision-cache.ts';

export interface InspectOutcome {
  checked: number;
  changed: number;
  /** Deployments found Modified whose options ask for drift correction. */
  toCorrect: string[];
  listErrors: number;
  /** Deployments left NotReady: their objects are still rolling out, a look soon will tell. */
  unsettled: number;
}

/** What inspecting needs to know of a deployment's bundle. */
export interface BundleFacts {
  id: string;
  paused: boolean;
  options: unknown;
}

/** What an inspection found: the rows to write and the state changes to record. */
export interface Assessment {
  rows: DeploymentStatusRow[];
  changes: StateChange[];
  toCorrect: string[];
  unsettled: number;
}

/** Up to this many bundles, the live read asks the cluster for their objects only. */
const MAX_BUNDLES_IN_SELECTOR = 20;

function labelSelectorFor(workspaceId: string, bundleIds: readonly string[]): string {
  const workspace = `${WORKSPACE_ID_LABEL}=${workspaceId}`;
  if (bundleIds.length > MAX_BUNDLES_IN_SELECTOR) return workspace;
  return `${workspace},${BUNDLE_ID_LABEL} in (${[...bundleIds].sort().join(',')})`;
}

/**
 * Health and drift of each resource of some deployments on one cluster, from what is live, and
 * the state each deployment is in as a result. Pure: reads nothing, writes nothing.
 */
export function assessDeployments({
  cluster,
  deployments,
  revisions,
  bundles,
  live,
  now,
}: {
  cluster: Pick<Cluster, 'workspaceId'>;
  /** Applied, not orphaned. */
  deployments: readonly BundleDeployment[];
  revisions: ReadonlyMap<string, Revision>;
  bundles: readonly BundleFacts[];
  live: Pick<LiveResult, 'objects' | 'errors'>;
  now: Date;
}): Assessment {
  const bundleById = new Map(bundles.map((bundle) => [bundle.id, bundle]));
  const liveByIdentity = new Map<string, KubeObject>();
  for (const object of live.objects) {
    liveByIdentity.set(identityOfObject(object), object as KubeObject);
  }
  const unreadable = new Set(
    live.errors.map((error) => `${apiGroupOf(error.apiVersion)}|${error.kind}`),
  );

  const assessment: Assessment = { rows: [], changes: [], toCorrect: [], unsettled: 0 };
  for (const deployment of deployments) {
    const revision = revisions.get(deployment.appliedHash!);
    if (!revision) continue;
    const bundle = bundleById.get(deployment.bundleId);
    const options = bundleOptionsOf(bundle?.options);
    const resources: DeploymentResource[] = revision.objects.map((object) => {
      const desired = withOwnership(object, {
        workspaceId: cluster.workspaceId,
        bundleId: deployment.bundleId,
      });
      const base = {
        apiVersion: object.apiVersion,
        kind: object.kind,
        namespace: object.metadata.namespace ?? '',
        name: object.metadata.name,
      };
      if (unreadable.has(`${apiGroupOf(object.apiVersion)}|${object.kind}`)) {
        return {
          ...base,
          health: 'Unknown' as const,
          healthMessage: 'could not list this kind on the cluster',
          modified: false,
          missing: false,
          driftPaths: [],
        };
      }
      const liveObject = liveByIdentity.get(identityOfObject(object));
      const health = resourceHealth(liveObject);
      const drift = computeDrift({
        desired,
        live: liveObject,
        comparePatches: revision.deployOptions.comparePatches ?? [],
      });
      return {
        ...base,
        health: health.status,
        healthMessage: health.message,
        modified: drift.modified,
        missing: drift.missing,
        driftPaths: drift.fields.map((field) => field.path),
        ...(drift.modified && drift.diff ? { diff: drift.diff } : {}),
      };
    });
    const derived = deriveDeploymentState({
      isClusterOnline: true,
      desiredHash: deployment.targetHash ?? deployment.desiredHash,
      appliedHash: deployment.appliedHash,
      isPaused: (bundle?.paused ?? false) || options.paused,
      isDeploying:
        deployment.desiredHash !== null && deployment.desiredHash !== deployment.appliedHash,
      lastError: deployment.lastError,
      resources: resources.map((resource) => ({
        kind: resource.kind,
        name: resource.name,
        namespace: resource.namespace,
        health: resource.health,
        modified: resource.modified,
        missing: resource.missing,
        message: resource.healthMessage,
        driftPaths: resource.driftPaths,
      })),
    });
    const state: DeploymentState = derived.state;
    if (state === 'NotReady') assessment.unsettled += 1;
    assessment.rows.push({
      id: deployment.id,
      state,
      message: derived.message,
      counts: { ...countResources(resources) },
      resources: resources as unknown as DeploymentStatusRow['resources'],
      stateChangedAt: state !== deployment.state ? now : null,
      checkedAt: now,
    });
    if (state !== deployment.state) {
      assessment.changes.push({
        workspaceId: deployment.workspaceId,
        deploymentId: deployment.id,
        bundleId: deployment.bundleId,
        clusterId: deployment.clusterId,
        fromState: deployment.state,
        toState: state,
        message: derived.message,
      });
    }
    // Drift is corrected whatever else the state says (a hand edit of replicas also makes the
    // Deployment NotReady until its controller catches up).
    const hasDrift = resources.some((resource) => resource.modified);
    if (
      hasDrift &&
      revision.deployOptions.correctDrift?.enabled &&
      deployment.desiredHash === deployment.appliedHash
    ) {
      assessment.toCorrect.push(deployment.id);
    }
  }
  return assessment;
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
  };
  if (applied.length === 0) return outcome;
  const bundleIds = [...new Set(applied.map((deployment) => deployment.bundleId))];
  const [revisions, bundles] = await Promise.all([
    loadRevisions(
      ctx,
      cluster.workspaceId,
      applied.map((deployment) => deployment.appliedHash!),
    ),
    ctx.db.bundle.findMany({
      where: { id: { in: bundleIds } },
      select: { id: true, paused: true, options: true },
    }),
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

  const assessment = assessDeployments({
    cluster,
    deployments: applied,
    revisions,
    bundles,
    live,
    now: ctx.now(),
  });
  outcome.changed = assessment.changes.length;
  outcome.toCorrect = assessment.toCorrect;
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
  await writeDeploymentStatuses(ctx.db, changed);
  await touchDeploymentsChecked(
    ctx.db,
    unchanged.map((row) => row.id),
    ctx.now(),
  );
  await recordStateChanges({ ctx, changes: assessment.changes });
  return outcome;
}
