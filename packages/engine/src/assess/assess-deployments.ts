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

/**
 * Health and drift of each resource of some deployments on one cluster, from what is live, and
 * the state each deployment is in as a result. A kind that could not be listed makes its
 * objects Unknown rather than Missing: an unreadable kind must never look like deleted objects.
 */
export function assessDeployments({ deployments, live, now }: AssessFacts): Assessment {
  const liveByIdentity = new Map<string, KubeObject>();
  for (const object of live.objects) liveByIdentity.set(identityOfObject(object), object);
  const unreadable = new Set(
    live.errors.map((error) => `${apiGroupOf(error.apiVersion)}|${error.kind}`),
  );

  const assessment: Assessment = { rows: [], changes: [], toCorrect: [], unsettled: 0 };
  for (const deployment of deployments) {
    const resources = deployment.desired.map((desired): AssessedResource => {
      const base = {
        apiVersion: desired.apiVersion,
        kind: desired.kind,
        namespace: desired.metadata.namespace ?? '',
        name: desired.metadata.name,
      };
      if (unreadable.has(`${apiGroupOf(desired.apiVersion)}|${desired.kind}`)) {
        return {
          ...base,
          health: 'Unknown',
          healthMessage: 'could not list this kind on the cluster',
          modified: false,
          missing: false,
          driftPaths: [],
        };
      }
      const liveObject = liveByIdentity.get(identityOfObject(desired));
      const health = resourceHealth(liveObject);
      const drift = computeDrift({
        desired,
        live: liveObject,
        comparePatches: deployment.comparePatches,
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
    const { state, message } =
      deployment.isPruneHeld === true && derived.state === 'OutOfSync'
        ? {
            state: 'Pending' as const,
            message: stateMessage({
              state: 'Pending',
              why: 'confirmPrune',
              objects: deployment.desired.length,
            }),
          }
        : derived;
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
      deployment.desiredHash === deployment.appliedHash
    ) {
      assessment.toCorrect.push(deployment.id);
    }
  }
  return assessment;
}
