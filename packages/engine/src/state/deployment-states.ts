/**
 * The states of a BundleDeployment, worst first. Fleet's StateRank (bundle_types.go) orders
 * ErrApplied > WaitApplied > Modified > OutOfSync > Pending > NotReady > Ready; Flotilla adds
 * Offline above all of them, because every other fact about an unreachable cluster is stale
 * and a fleet view must never let it pass for Ready.
 */
export const DEPLOYMENT_STATES = [
  'Offline',
  'ErrApplied',
  'WaitApplied',
  'Modified',
  'OutOfSync',
  'Pending',
  'NotReady',
  'Ready',
] as const;

export type DeploymentState = (typeof DEPLOYMENT_STATES)[number];

/** Higher is worse: Ready is 0, Offline 7. */
export function stateRank(state: DeploymentState): number {
  return DEPLOYMENT_STATES.length - 1 - DEPLOYMENT_STATES.indexOf(state);
}

export function isWorseState(candidate: DeploymentState, than: DeploymentState): boolean {
  return stateRank(candidate) > stateRank(than);
}

/** The worst of the states (worst wins when aggregated), or undefined for none. */
export function worstState(states: Iterable<DeploymentState>): DeploymentState | undefined {
  let worst: DeploymentState | undefined;
  for (const state of states) {
    if (worst === undefined || isWorseState(state, worst)) worst = state;
  }
  return worst;
}

export interface StateSummary {
  /** The worst state, or null when there is nothing to aggregate (no cluster targeted). */
  state: DeploymentState | null;
  /** How many have each state; every state is present, zero included. */
  counts: Record<DeploymentState, number>;
}

/** The fleet matrix's summary: the worst state and a count per state. */
export function aggregateStates(states: Iterable<DeploymentState>): StateSummary {
  const counts = Object.fromEntries(DEPLOYMENT_STATES.map((state) => [state, 0])) as Record<
    DeploymentState,
    number
  >;
  const all = [...states];
  for (const state of all) counts[state] += 1;
  return { state: worstState(all) ?? null, counts };
}
