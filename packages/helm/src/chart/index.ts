export { ChartError } from './errors.ts';
export type { Chart, ChartDependency, ChartFile, ChartMetadata } from './types.ts';
export {
  loadChart,
  loadChartArchive,
  loadChartFiles,
  readChartArchive,
  DEFAULT_CHART_LIMITS,
} from './load-chart.ts';
export type { ChartLimits } from './load-chart.ts';
export { parseSet } from './parse-set.ts';
export { coalesceValues, mergeMaps } from './coalesce-values.ts';
export { renderChart, formatHelmTemplate, noClusterReads } from './render-chart.ts';
export type { ClusterReads, RenderChartOptions, RenderedChart } from './render-chart.ts';
export { planHookPhases } from './plan-hook-phases.ts';
export type { HookPhases } from './plan-hook-phases.ts';
export { sortManifests, splitManifests, INSTALL_ORDER } from './sort-manifests.ts';
export type { Hook, HookEvent, Manifest } from './sort-manifests.ts';
export { templateChart, readUserValues } from './template-chart.ts';
export type { TemplateChartOptions } from './template-chart.ts';
export type { LookupFunction } from './helm-functions.ts';
