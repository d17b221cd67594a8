export {
  DEPLOYMENT_STATES,
  aggregateStates,
  isWorseState,
  stateRank,
  worstState,
} from './deployment-states.ts';
export type { DeploymentState, StateSummary } from './deployment-states.ts';
export { deriveDeploymentState } from './derive-deployment-state.ts';
export type { DeploymentFacts, DerivedState, ResourceFacts } from './derive-deployment-state.ts';
export { stateMessage } from './state-message.ts';
export type { RevisionName, StateReason } from './state-message.ts';
