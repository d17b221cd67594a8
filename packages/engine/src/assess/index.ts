export {
  assessDeployments,
  assessResources,
  countResources,
  indexLive,
  stateOfResources,
} from './assess-deployments.ts';
export type {
  AssessDeployment,
  AssessFacts,
  AssessedDeployment,
  AssessedResource,
  AssessedStateChange,
  Assessment,
  LiveIndex,
  StateFactsOf,
  ResourceCounts,
} from './assess-deployments.ts';
