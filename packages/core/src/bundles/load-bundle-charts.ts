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
import { ChartError, DEFAULT_CHART_LIMITS, loadChartArchive, type Chart } from '@flotilla/helm';
import type { HelmAuth } from '../gitrepos/schemas.ts';
import type { WorkerContext } from '../worker-context.ts';
import { chartCredentialsFor } from './chart-credentials.ts';

/** Charts downloaded while one bundle renders, by `chartKeyOf`: copies sharing one fetch it once. */
export type FetchedCharts = Map<string, Chart>;

/**
 * The binary files a render needs from git (`keepBinary` of readFiles): chart archives, in a
 * chart folder's charts/ or named by `helm.chart`. Every other binary file stays unread.
 */
export function isChartArchivePath(path: string): boolean {
  return /\.(tgz|tar\.gz)$/.test(path);
}

/**
 * The chart one copy (customization) of a bundle renders, or undefined for a bundle that is no
 * Helm bundle. A chart from a Helm repository, an OCI registry or a URL is downloaded into the
 * worker's chart cache, with the GitRepo's chart credentials (`helmAuth`, Fleet's
 * helmSecretName) when it has them; a `.tgz` in the repository, or in a chart folder's
 * charts/, comes from `archives`. Every failure is an EngineError naming the file or URL, never
 * a credential, so that it fails this bundle's copy only.
 */
export async function loadCopyChart({
  ctx,
  files,
  bundlePath,
  options,
  customization,
  fetched,
  archives,
  helmAuth,
}: {
  ctx: WorkerContext;
  files: RepoFiles;
  bundlePath: string;
  options: BundleOptions;
  customization?: TargetCustomization | undefined;
  fetched: FetchedCharts;
  /** The repository's chart archives by path (see isChartArchivePath). */
  archives?: ReadonlyMap<string, Uint8Array> | undefined;
  /** Credentials for the GitRepo's chart repositories and registries, opened by the caller. */
  helmAuth?: HelmAuth | undefined;
}): Promise<Chart | undefined> {
  const input = { files, bundlePath, options, customization };
  const source = bundleChartSource(input);
  if (source === undefined) return undefined;
  if (source.kind === 'external') {
    await fetchOnce({ ctx, request: source.request, fetched, archives, helmAuth });
  }
  try {
    return await loadBundleChart({ ...input, charts: fetched, binaryFiles: archives });
  } catch (error) {
    // A chart folder's Chart.yaml or templates may be refused while loading (the engine wraps
    // most such errors; anything from the chart loader is still this bundle's fault).
    if (error instanceof ChartError) {
      throw new EngineError('HelmFailed', error.message, error.file ?? (bundlePath || '.'));
    }
    throw error;
  }
}

async function fetchOnce({
  ctx,
  request,
  fetched,
  archives,
  helmAuth,
}: {
  ctx: WorkerContext;
  request: ChartRequest;
  fetched: FetchedCharts;
  archives?: ReadonlyMap<string, Uint8Array> | undefined;
  helmAuth?: HelmAuth | undefined;
}): Promise<void> {
  const key = chartKeyOf(request);
  if (fetched.has(key)) return;
  if (request.isInRepository) {
    fetched.set(key, await loadRepositoryArchive(request.chart, archives));
    return;
  }
  try {
    const result = await fetchChart({
      spec: { repo: request.repo, chart: request.chart, version: request.version },
      auth: chartCredentialsFor(request, helmAuth),
      // A CA is no secret: it is trusted for every chart source of the repo.
      caBundle: helmAuth?.caBundle,
      cacheDir: ctx.settings.chartCacheDir,
      cacheLimits: ctx.settings.chartCacheLimits,
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

/** A `.tgz` committed in the repository (fleet.yaml's `helm.chart: ./chart.tgz`). */
async function loadRepositoryArchive(
  path: string,
  archives: ReadonlyMap<string, Uint8Array> | undefined,
): Promise<Chart> {
  const data = archives?.get(path);
  if (!data) {
    // Missing, or over git's one-file limit (readFiles leaves such a binary out).
    throw new EngineError(
      'HelmFailed',
      `${path}: the chart archive is not in the repository at this commit, or is too large to read`,
      path,
    );
  }
  try {
    return await loadChartArchive(Buffer.from(data), DEFAULT_CHART_LIMITS, path);
  } catch (error) {
    if (error instanceof ChartError) {
      const message = error.message.startsWith(path) ? error.message : `${path}: ${error.message}`;
      throw new EngineError('HelmFailed', message, path);
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
