export { applyNamespaces, FALLBACK_NAMESPACE } from './apply-namespaces.ts';
export type { NamespaceOptions } from './apply-namespaces.ts';
export { bundleNameOf } from './bundle-name.ts';
export { OPTIONS_FILE_NAMES } from './bundle-files.ts';
export { discoverBundles } from './discover-bundles.ts';
export type { DiscoveredBundle } from './discover-bundles.ts';
export { drivenBundles, drivenBundleSchema } from './driven-bundles.ts';
export type { DrivenBundle } from './driven-bundles.ts';
export { DEFAULT_RENDER_LIMITS, RenderBudget, resolveLimits } from './limits.ts';
export type { RenderLimits } from './limits.ts';
export { parseYamlDocuments } from './parse-yaml.ts';
export {
  bundleChartSource,
  loadBundleChart,
  missingRemoteBases,
  renderBundle,
} from './render-bundle.ts';
export type { LoadBundleChartInput, RenderBundleInput, RenderedBundle } from './render-bundle.ts';
export { loadKustomizeCharts } from './load-kustomize-charts.ts';
export type { LoadKustomizeChartsInput } from './load-kustomize-charts.ts';
export { REMOTE_BASE_LIMITS, resolveRemoteBases } from './resolve-remote-bases.ts';
export type { ResolveRemoteBasesInput } from './resolve-remote-bases.ts';
export { chartKeyOf } from './render-helm.ts';
export { isSecretLookingKey, MASKED_VALUE } from './describe-helm-render.ts';
export type { HelmChartOrigin, HelmRenderSummary } from './describe-helm-render.ts';
export type {
  ChartRequest,
  HelmChartSource,
  HelmTargetCluster,
  ResolvedCharts,
} from './render-helm.ts';
