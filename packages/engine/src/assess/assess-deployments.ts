import { computeDrift } from '../diff/compute-drift.ts';
import type { HealthStatus } from '../health/health-status.ts';
import { resourceHealth } from '../health/resource-health.ts';
import { apiGroupOf, identityOfObject } from '../objects/object-identity.ts';
import type { ComparePatch } from '../options/bundle-options.ts';
import type { DeploymentState } from '../state/deployment-states.ts';
import { deriveDeploymentState } from '../state/derive-deployment-state.ts';
import { stateMessage } from '../state/state-message.ts';
import type { KubeObject } from '../types.ts';

/** One object of a deployment as the API and the dashboard show it. */
export interface AssessedResource {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  health: HealthStatus;
  healthMessage: string;
  modified: boolean;
  missing: boolean;
  /** Fields that differ from Git, e.g. spec.replicas, data.key. */
  driftPaths: string[];
  /** Unified diff of Git against live for the fields Flotilla manages; only when modified. */
  diff?: string;
}

export interface ResourceCounts {
  total: number;
  ready: number;
  notReady: number;
  modified: number;
  missing: number;
}

export function countResources(resources: readonly AssessedResource[]): ResourceCounts {
  return {
    total: resources.length,
    ready: resources.filter((resource) => resource.health === 'Healthy' && !resource.modified)
      .length,
    notReady: resources.filter((resource) => resource.health !== 'Healthy' && !resource.missing)
      .length,
    modified: resources.filter((resource) => resource.modified && !resource.missing).length,
    missing: resources.filter((resource) => resource.missing).length,
  };
}

/** An applied deployment as assessment sees it. */
export interface AssessDeployment {
  id: string;
  clusterId: string;
  bundleId: string;
  state: DeploymentState;
  targetHash: string | null;
  desiredHash: string | null;
  appliedHash: string | null;
  lastError: string | null;
  /** Paused in the UI or in the options file. */
  isPaused: boolean;
  /** The applied revision's objects as they were applied (ownership labels included). */
  desired: readonly KubeObject[];
  comparePatches: readonly ComparePatch[];
  isDriftCorrected: boolean;
  /**
   * The target revision has no objects and waits for an operator's confirmation (the planner
   * held it): being behind then reads as that hold, not as a rollout.
   */
  isPruneHeld?: boolean;
  /**
   * A sync window holds changes to this cluster now: drift is shown but not corrected, and
   * being behind reads as that hold (the planner held the new revision back).
   */
  syncWindowHold?: { until: Date | null } | null;
}

export interface AssessFacts {
  /** Applied, not orphaned, all on one cluster. */
  deployments: readonly AssessDeployment[];
  /** What is live on the cluster, and the kinds that could not be read. */
  live: {
    objects: readonly KubeObject[];
    errors: readonly { apiVersion: string; kind: string }[];
  };
  now: Date;
}

export interface AssessedDeployment {
  id: string;
  state: DeploymentState;
  message: string;
  counts: ResourceCounts;
  resources: AssessedResource[];
  /** Set when the state changes; null keeps the old time. */
  stateChangedAt: Date | null;
  checkedAt: Date;
}

export interface AssessedStateChange {
  deploymentId: string;
  clusterId: string;
  bundleId: string;
  fromState: DeploymentState;
  toState: DeploymentState;
  message: string;
}

export interface Assessment {
  rows: AssessedDeployment[];
  changes: AssessedStateChange[];
  /** Deployments with drift whose options ask for it to be corrected. */
  toCorrect: string[];
  /** Deployments left NotReady: still rolling out, a look soon will tell. */
  unsettled: number;
}

/** What is live on a cluster, indexed once for the resources of many deployments. */
export interface LiveIndex {
  byIdentity: ReadonlyMap<string, KubeObject>;
  /** `group|kind` of the kinds that could not be listed. */
  unreadable: ReadonlySet<string>;
}

export function indexLive(live: AssessFacts['live']): LiveIndex {
  const byIdentity = new Map<string, KubeObject>();
  for (const object of live.objects) byIdentity.set(identityOfObject(object), object);
  return {
    byIdentity,
    unreadable: new Set(
      live.errors.map((error) => `${apiGroupOf(error.apiVersion)}|${error.kind}`),
    ),
  };
}

/**
 * Health and drift of each desired object against what is live. A kind that could not be
 * listed makes its objects Unknown rather than Missing: an unreadable kind must never look like
 * deleted objects. The worker's monitor and an agent in the cluster both call this.
 */
export function assessResources({
  desired,
  comparePatches,
  live,
}: {
  desired: readonly KubeObject[];
  comparePatches: readonly ComparePatch[];
  live: LiveIndex;
}): AssessedResource[] {
  return desired.map((object): AssessedResource => {
    const base = {
      apiVersion: object.apiVersion,
      kind: object.kind,
      namespace: object.metadata.namespace ?? '',
      name: object.metadata.name,
    };
    if (live.unreadable.has(`${apiGroupOf(object.apiVersion)}|${object.kind}`)) {
      return {
        ...base,
        health: 'Unknown',
        healthMessage: 'could not list this kind on the cluster',
        modified: false,
        missing: false,
        driftPaths: [],
      };
    }
    const liveObject = live.byIdentity.get(identityOfObject(object));
    const health = resourceHealth(liveObject);
    const drift = computeDrift({ desired: object, live: liveObject, comparePatches });
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
}

/** What deriving a deployment's state needs besides its resources. */
export type StateFactsOf = Pick<
  AssessDeployment,
  | 'targetHash'
  | 'desiredHash'
  | 'appliedHash'
  | 'lastError'
  | 'isPaused'
  | 'isPruneHeld'
  | 'syncWindowHold'
>;

/**
 * The state of an applied deployment from its assessed resources, on a cluster that answers:
 * one derivation whether the resources were assessed by the worker or reported by an agent.
 */
export function stateOfResources(
  deployment: StateFactsOf,
  resources: readonly AssessedResource[],
): { state: DeploymentState; message: string } {
  const derived = deriveDeploymentState({
    isClusterOnline: true,
    desiredHash: deployment.targetHash ?? deployment.desiredHash,
    appliedHash: deployment.appliedHash,
    isPaused: deployment.isPaused,
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
  if (deployment.isPruneHeld === true && derived.state === 'OutOfSync') {
    return {
      state: 'Pending',
      message: stateMessage({ state: 'Pending', why: 'confirmPrune', objects: resources.length }),
    };
  }
  if (deployment.syncWindowHold && derived.state === 'OutOfSync') {
    return {
      state: 'Pending',
      message: stateMessage({
        state: 'Pending',
        why: 'syncWindow',
        until: deployment.syncWindowHold.until,
      }),
    };
  }
  return derived;
}

/**
 * Health and drift of each resource of some deployments on one cluster, from what is live, and
 * the state each deployment is in as a result.
 */
export function assessDeployments({ deployments, live, now }: AssessFacts): Assessment {
  const index = indexLive(live);
  const assessment: Assessment = { rows: [], changes: [], toCorrect: [], unsettled: 0 };
  for (const deployment of deployments) {
    const resources = assessResources({
      desired: deployment.desired,
      comparePatches: deployment.comparePatches,
      live: index,
    });
    const { state, message } = stateOfResources(deployment, resources);
    if (state === 'NotReady') assessment.unsettled += 1;
    assessment.rows.push({
      id: deployment.id,
      state,
      message,
      counts: countResources(resources),
      resources,
      stateChangedAt: state !== deployment.state ? now : null,
      checkedAt: now,
    });
    if (state !== deployment.state) {
      assessment.changes.push({
        deploymentId: deployment.id,
        clusterId: deployment.clusterId,
        bundleId: deployment.bundleId,
        fromState: deployment.state,
        toState: state,
        message,
      });
    }
    // Drift is corrected whatever else the state says (a hand edit of replicas also makes the
    // Deployment NotReady until its controller catches up), but never in the middle of a deploy.
    const hasDrift = resources.some((resource) => resource.modified);
    if (
      hasDrift &&
      deployment.isDriftCorrected &&
      !deployment.syncWindowHold &&
      deployment.desiredHash === deployment.appliedHash
    ) {
      assessment.toCorrect.push(deployment.id);
    }
  }
  return assessment;
}
