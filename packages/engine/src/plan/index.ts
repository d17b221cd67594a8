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
export { customizationsOfClusters } from './customizations-of-clusters.ts';
export {
  HOOK_ANNOTATION,
  HOOK_DELETE_POLICY_ANNOTATION,
  HOOK_WEIGHT_ANNOTATION,
  isHelmHook,
  planHelmHooks,
  splitHelmHooks,
} from './plan-helm-hooks.ts';
export type { HelmHook, HookDeletePolicy, HookGroup, HookRunPlan } from './plan-helm-hooks.ts';
export {
  REPO_NAME_LABEL,
  dependencyBlock,
  fleetBundleName,
  resolveDependencies,
} from './resolve-dependencies.ts';
export type {
  DependencyBlock,
  DependencyBundle,
  DependencyFacts,
  DependencyResolution,
  ResolvedDependency,
} from './resolve-dependencies.ts';
