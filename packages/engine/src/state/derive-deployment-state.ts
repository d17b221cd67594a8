import type { HealthStatus } from '../health/health-status.ts';
import type { DeploymentState } from './deployment-states.ts';
import { stateMessage } from './state-message.ts';

/** One resource of the applied revision as the monitor last saw it. */
export interface ResourceFacts {
  kind: string;
  name: string;
  /** "" for cluster-scoped objects. */
  namespace: string;
  health: HealthStatus;
  /** Drift on a field Git sets (diff/computeDrift `modified` without `missing`). */
  modified: boolean;
  missing: boolean;
  /** The health message, e.g. "Waiting for rollout to finish: ...". */
  message?: string;
  /** Paths of drifted fields, e.g. ["data.key"]. */
  driftPaths?: readonly string[];
}

export interface DeploymentFacts {
  isClusterOnline: boolean;
  /** Revision the bundle wants on this cluster; null until planned. */
  desiredHash: string | null;
  /** Revision last applied successfully; null if never. */
  appliedHash: string | null;
  isPaused: boolean;
  /** A deploy job is queued or running. */
  isDeploying: boolean;
  /** Why the last apply failed; null after a success. */
  lastError: string | null;
  resources: readonly ResourceFacts[];
}

export interface DerivedState {
  state: DeploymentState;
  /** Names what is wrong, starting with the state; "" when Ready. */
  message: string;
}

/**
 * The state of one bundle on one cluster. The checks run in Fleet's order
 * (summary.GetDeploymentState): an apply problem first, then readiness of what runs, then a
 * newer revision held back, then drift. So a cluster that is both NotReady and Modified reads
 * NotReady, the thing to fix first; only Offline and Pending, which Fleet does not derive this
 * way, come before.
 */
export function deriveDeploymentState(facts: DeploymentFacts): DerivedState {
  const state = pickState(facts);
  return { state, message: describeState(state, facts) };
}

function pickState(facts: DeploymentFacts): DeploymentState {
  if (!facts.isClusterOnline) return 'Offline';
  if (facts.desiredHash === null) return 'Pending';
  if (facts.lastError !== null) return 'ErrApplied';
  if (facts.isDeploying) return 'WaitApplied';
  if (facts.appliedHash === null) return facts.isPaused ? 'OutOfSync' : 'Pending';
  if (notReady(facts.resources).length > 0) return 'NotReady';
  if (facts.appliedHash !== facts.desiredHash) return 'OutOfSync';
  if (drifted(facts.resources).length > 0) return 'Modified';
  return 'Ready';
}

function describeState(state: DeploymentState, facts: DeploymentFacts): string {
  const revision = { hash: facts.desiredHash };
  switch (state) {
    case 'Offline':
      return stateMessage({ state });
    case 'Pending':
      return stateMessage({
        state,
        why: facts.desiredHash === null ? 'notPlanned' : 'firstDeploy',
      });
    case 'ErrApplied':
      return stateMessage({ state, error: facts.lastError ?? 'apply failed' });
    case 'WaitApplied':
      return stateMessage({ state, why: 'deploying', revision });
    case 'OutOfSync':
      return stateMessage({ state, why: facts.isPaused ? 'paused' : 'rollout', revision });
    case 'NotReady':
      return stateMessage({
        state,
        summary: summarize(
          notReady(facts.resources),
          (resource) => resource.message || resource.health,
        ),
      });
    case 'Modified':
      return stateMessage({ state, summary: summarize(drifted(facts.resources), driftDetail) });
    case 'Ready':
      return stateMessage({ state });
    default:
      return state satisfies never;
  }
}

function notReady(resources: readonly ResourceFacts[]): ResourceFacts[] {
  return resources.filter((resource) => !isMissing(resource) && resource.health !== 'Healthy');
}

function drifted(resources: readonly ResourceFacts[]): ResourceFacts[] {
  return resources.filter((resource) => resource.modified || isMissing(resource));
}

function isMissing(resource: ResourceFacts): boolean {
  return resource.missing || resource.health === 'Missing';
}

function driftDetail(resource: ResourceFacts): string {
  if (isMissing(resource)) return 'missing';
  const paths = resource.driftPaths ?? [];
  if (paths.length === 0) return 'differs from Git';
  return `${paths.join(', ')} ${paths.length === 1 ? 'differs' : 'differ'}`;
}

/** "Deployment shop/web: Waiting for rollout...; 2 more", or null for none. */
function summarize(
  resources: readonly ResourceFacts[],
  detail: (resource: ResourceFacts) => string,
): string | null {
  const [first] = resources;
  if (!first) return null;
  const where = first.namespace ? `${first.namespace}/${first.name}` : first.name;
  const more = resources.length > 1 ? `; ${resources.length - 1} more` : '';
  return `${first.kind} ${where}: ${detail(first)}${more}`;
}
