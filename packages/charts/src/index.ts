export { fetchChart, ChartFetchError } from './fetch-chart.ts';
export type { ChartAuth, ChartSpec, FetchChartOptions, FetchedChart } from './fetch-chart.ts';
export {
  DEFAULT_CHART_CACHE_LIMITS,
  evictCachedCharts,
  type ChartCacheLimits,
} from './chart-cache.ts';
export {
  HELM_CHART_LAYER_MEDIA_TYPE,
  HELM_CONFIG_MEDIA_TYPE,
  parseOciReference,
  type OciReference,
} from './fetch-oci-chart.ts';
