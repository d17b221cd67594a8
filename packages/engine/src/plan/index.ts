export { customizationName, planDeployments } from './plan-deployments.ts';
export type {
  DeploymentsPlan,
  PlanCluster,
  PlanCreate,
  PlanDeployment,
  PlanFacts,
  PlanRender,
  PlanRow,
  PlanStateChange,
} from './plan-deployments.ts';
