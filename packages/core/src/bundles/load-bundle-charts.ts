import { ChartFetchError, fetchChart } from '@flotilla/charts';
import {
  bundleChartSource,
  chartKeyOf,
  EngineError,
  loadBundleChart,
  type BundleOptions,
  type ChartRequest,
  type RepoFiles,
  type TargetCustomization,
} from '@flotilla/engine';
import { ChartError, type Chart } from '@flotilla/helm';
import type { WorkerContext } from '../worker-context.ts';

/** Charts downloaded while one bundle renders, by `chartKeyOf`: copies sharing one fetch it once. */
export type FetchedCharts = Map<string, Chart>;

/**
 * The chart one copy (customization) of a bundle renders, or undefined for a bundle that is no
 * Helm bundle. A chart from a Helm repository or URL is downloaded (no credentials: chart
 * repository secrets are not modelled yet) into the worker's chart cache. Every failure is an
 * EngineError naming the file or URL, so that it fails this bundle's copy only.
 */
export async function loadCopyChart({
  ctx,
  files,
  bundlePath,
  options,
  customization,
  fetched,
}: {
  ctx: WorkerContext;
  files: RepoFiles;
  bundlePath: string;
  options: BundleOptions;
  customization?: TargetCustomization | undefined;
  fetched: FetchedCharts;
}): Promise<Chart | undefined> {
  const input = { files, bundlePath, options, customization };
  const source = bundleChartSource(input);
  if (source === undefined) return undefined;
  if (source.kind === 'external') await fetchOnce(ctx, source.request, fetched);
  try {
    return await loadBundleChart({ ...input, charts: fetched });
  } catch (error) {
    // A chart folder's Chart.yaml or templates may be refused while loading (the engine wraps
    // most such errors; anything from the chart loader is still this bundle's fault).
    if (error instanceof ChartError) {
      throw new EngineError('HelmFailed', error.message, error.file ?? (bundlePath || '.'));
    }
    throw error;
  }
}

async function fetchOnce(
  ctx: WorkerContext,
  request: ChartRequest,
  fetched: FetchedCharts,
): Promise<void> {
  const key = chartKeyOf(request);
  if (fetched.has(key)) return;
  if (request.isInRepository) {
    // The git tree reader skips binary files, so the archive's bytes are not at hand: say so
    // rather than render something else.
    throw new EngineError(
      'Unsupported',
      `${request.chart}: a .tgz chart in the repository is not supported yet (commit the chart folder instead)`,
    );
  }
  try {
    const result = await fetchChart({
      spec: { repo: request.repo, chart: request.chart, version: request.version },
      cacheDir: ctx.settings.chartCacheDir,
    });
    fetched.set(key, result.chart);
  } catch (error) {
    if (error instanceof ChartFetchError || error instanceof ChartError) {
      // fetchChart's messages name the URL without its credentials; a message that does not
      // (a chart's own error) gets the location, credentials removed.
      const location = withoutUserInfo(request.repo || request.chart);
      const message =
        error instanceof ChartFetchError ? error.message : `${location}: ${error.message}`;
      throw new EngineError('HelmFailed', message);
    }
    throw error;
  }
}

/** A repository URL as written may carry user:password@; errors never show it. */
function withoutUserInfo(location: string): string {
  try {
    const url = new URL(location);
    url.username = '';
    url.password = '';
    return url.toString();
  } catch {
    return location;
  }
}
