export type {
  BundleOptions,
  BundleRef,
  ComparePatch,
  CorrectDrift,
  DeployOptionOverrides,
  DeployOptions,
  HelmOptions,
  ResolvedHelmOptions,
  ValuesFrom,
  ValuesKeyRef,
  IntOrPercent,
  RolloutPartition,
  RolloutStrategy,
  TargetCustomization,
  TargetSelection,
} from './bundle-options.ts';
export { loadBundleOptions, parseOptionsFile } from './load-bundle-options.ts';
export { resolveDeployOptions } from './resolve-deploy-options.ts';
