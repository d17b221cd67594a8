export { assessDeployments, countResources } from './assess-deployments.ts';
export type {
  AssessDeployment,
  AssessFacts,
  AssessedDeployment,
  AssessedResource,
  AssessedStateChange,
  Assessment,
  ResourceCounts,
} from './assess-deployments.ts';
