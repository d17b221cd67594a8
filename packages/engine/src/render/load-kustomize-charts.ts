import { loadChartFiles, type Chart } from '@flotilla/helm';
import { EngineError } from '../errors.ts';
import type { KustomizeChartRequest, KustomizeCharts } from '../kustomize/index.ts';
import { kustomizeChartRequests, type RenderBundleInput } from './render-bundle.ts';

export interface LoadKustomizeChartsInput extends Pick<
  RenderBundleInput,
  'files' | 'bundlePath' | 'options' | 'customization'
> {
  /**
   * Pulls a chart that is not in the repository from the entry's `repo` (kustomize's
   * `helm pull`; the caller's I/O). A rejection fails this copy naming the kustomization entry.
   */
  pullChart?: ((request: KustomizeChartRequest) => Promise<Chart>) | undefined;
}

/**
 * The charts a copy of a kustomize bundle inflates (`helmCharts:`), for renderBundle's
 * `kustomizeCharts`: a chart folder of the bundle is loaded from its files; a chart the bundle
 * lacks is pulled from its `repo` when the entry names one. A chart neither here nor pulled is
 * left out, and the build says which entry needs it. Undefined when the copy inflates none.
 */
export async function loadKustomizeCharts(
  input: LoadKustomizeChartsInput,
): Promise<KustomizeCharts | undefined> {
  const { requests, bundleFiles } = kustomizeChartRequests(input);
  if (requests.length === 0) return undefined;
  const charts = new Map<string, Chart>();
  for (const request of requests) {
    const prefix = `${request.dir}/`;
    try {
      if (bundleFiles.has(`${prefix}Chart.yaml`)) {
        const chartFiles = [...bundleFiles]
          .filter(([path]) => path.startsWith(prefix))
          .map(([path, text]) => ({ name: path.slice(prefix.length), data: Buffer.from(text) }));
        charts.set(request.dir, await loadChartFiles(chartFiles));
      } else if (request.repo && input.pullChart) {
        charts.set(request.dir, await input.pullChart(request));
      }
    } catch (error) {
      if (error instanceof EngineError) throw error;
      const why = error instanceof Error ? error.message : String(error);
      throw new EngineError(
        'KustomizeFailed',
        `${request.where}: chart "${request.name}": ${why}`,
        request.where,
      );
    }
  }
  return charts;
}
