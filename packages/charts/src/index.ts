export { fetchChart, ChartFetchError } from './fetch-chart.ts';
export type { ChartAuth, ChartSpec, FetchChartOptions, FetchedChart } from './fetch-chart.ts';
