import { createHash } from 'node:crypto';
import {
  DEFAULT_CHART_LIMITS,
  loadChartArchive,
  type Chart,
  type ChartLimits,
} from '@flotilla/helm';
import type { AddressPolicy } from '@flotilla/net';
import semver from 'semver';
import { parse as parseYaml } from 'yaml';
import {
  DEFAULT_CHART_CACHE_LIMITS,
  readCachedChart,
  writeCachedChart,
  type ChartCacheLimits,
} from './chart-cache.ts';
import { fetchOciChart, parseOciReference } from './fetch-oci-chart.ts';
import { ChartFetchError, httpGet, redact } from './http-get.ts';

export { ChartFetchError } from './http-get.ts';

/** A chart as fleet.yaml names it (the engine's ChartRequest). */
export interface ChartSpec {
  repo: string;
  chart: string;
  version: string;
}

/** Basic auth for the Helm repository or OCI registry (Fleet's helmSecretName). */
export interface ChartAuth {
  username: string;
  password: string;
}

export interface FetchChartOptions {
  spec: ChartSpec;
  auth?: ChartAuth | undefined;
  /** PEM certificates trusted on top of the system's roots, for a repository with a private CA. */
  caBundle?: string | undefined;
  /** Downloaded archives, one file per sha256; none when absent. */
  cacheDir?: string | undefined;
  /** Bounds of `cacheDir`; the least recently used archives are evicted beyond them. */
  cacheLimits?: ChartCacheLimits | undefined;
  policy?: AddressPolicy | undefined;
  /** Plain http:// beyond loopback addresses. */
  allowInsecureHttp?: boolean | undefined;
  limits?: ChartLimits | undefined;
  /** Bytes of a repository's index.yaml. */
  maxIndexBytes?: number | undefined;
  timeoutMs?: number | undefined;
}

export interface FetchedChart {
  chart: Chart;
  /** sha256 of the archive. */
  digest: string;
  /** The version picked from the repository (the archive's when fetched by URL). */
  version: string;
  url: string;
}

/**
 * Fetches the chart fleet.yaml's `helm.repo` / `helm.chart` / `helm.version` name, as Fleet's
 * bundle reader does: from an HTTP Helm repository (index.yaml, the highest version matching
 * the constraint), an OCI registry (`oci://`, see fetchOciChart), or a `.tgz` URL. Every URL, redirects included, passes the address policy and
 * every connection checks DNS answers again (rebinding). Credentials go only to the repository's
 * own origin, as Helm does without --pass-credentials.
 */
export async function fetchChart(options: FetchChartOptions): Promise<FetchedChart> {
  const { spec } = options;
  const limits = options.limits ?? DEFAULT_CHART_LIMITS;
  if (spec.repo.startsWith('oci://') || spec.chart.startsWith('oci://')) {
    const reference = parseOciReference(spec.repo, spec.chart, options);
    const pulled = await fetchOciChart({
      reference,
      version: spec.version,
      auth: options.auth,
      cacheDir: options.cacheDir,
      maxBytes: limits.maxTotalBytes,
      policy: options.policy,
      allowInsecureHttp: options.allowInsecureHttp,
      timeoutMs: options.timeoutMs,
      caBundle: options.caBundle,
    });
    const fetched = await load(pulled.data, pulled.url, options, pulled.digest);
    if (reference.digest && spec.version && fetched.chart.metadata.version !== spec.version) {
      throw new ChartFetchError(
        `${pulled.url}: the chart is version ${fetched.chart.metadata.version}, not ${spec.version}`,
      );
    }
    return fetched;
  }
  if (!spec.repo) {
    // A chart URL gets the credentials too, but only at its own origin.
    const origin = URL.canParse(spec.chart) ? new URL(spec.chart).origin : undefined;
    const data = await download(spec.chart, options, limits.maxTotalBytes, origin);
    return load(data, spec.chart, options, undefined);
  }

  const repoUrl = spec.repo.endsWith('/') ? spec.repo : `${spec.repo}/`;
  const origin = new URL(repoUrl).origin;
  const indexText = (
    await download(
      `${repoUrl}index.yaml`,
      options,
      options.maxIndexBytes ?? 20 * 1024 * 1024,
      origin,
    )
  ).toString('utf8');
  const entry = pickVersion(parseIndex(indexText, repoUrl), spec, repoUrl);
  const [first] = entry.urls;
  if (!first) throw new ChartFetchError(`${repoUrl}: ${spec.chart} ${entry.version} has no URL`);
  const url = new URL(first, repoUrl).toString();
  const cached = entry.digest ? await readCachedChart(options.cacheDir, entry.digest) : undefined;
  const data = cached ?? (await download(url, options, limits.maxTotalBytes, origin));
  return load(data, url, options, entry.digest || undefined, entry.version);
}

interface IndexEntry {
  version: string;
  urls: string[];
  digest: string;
}

function parseIndex(text: string, repoUrl: string): Map<string, IndexEntry[]> {
  let document: unknown;
  try {
    document = parseYaml(text, { maxAliasCount: 100 });
  } catch (error) {
    throw new ChartFetchError(`${repoUrl}index.yaml: ${(error as Error).message}`);
  }
  const entries = (document as { entries?: unknown } | null)?.entries;
  if (typeof entries !== 'object' || entries === null) {
    throw new ChartFetchError(`${repoUrl}index.yaml: no entries (not a Helm repository index)`);
  }
  const charts = new Map<string, IndexEntry[]>();
  for (const [name, list] of Object.entries(entries)) {
    if (!Array.isArray(list)) continue;
    charts.set(
      name,
      list.map((item: { version?: unknown; urls?: unknown; digest?: unknown }) => ({
        version: String(item.version ?? ''),
        urls: Array.isArray(item.urls) ? item.urls.map(String) : [],
        digest: typeof item.digest === 'string' ? item.digest : '',
      })),
    );
  }
  return charts;
}

/**
 * Helm's repo.IndexFile.Get: an exact version wins; else the highest version satisfying the
 * constraint, prereleases only when the constraint names one; "" is the latest stable.
 */
function pickVersion(charts: Map<string, IndexEntry[]>, spec: ChartSpec, repoUrl: string) {
  const versions = charts.get(spec.chart);
  if (!versions || versions.length === 0) {
    throw new ChartFetchError(`${repoUrl}: chart "${spec.chart}" not found in the repository`);
  }
  const exact = versions.find((entry) => entry.version === spec.version);
  if (exact) return exact;
  const range = spec.version || '*';
  const matching = versions
    .filter((entry) => semver.valid(entry.version, { loose: true }))
    .filter((entry) =>
      semver.satisfies(entry.version, range, {
        loose: true,
        includePrerelease: semver.prerelease(range.replace(/^[^0-9]*/, '')) !== null,
      }),
    )
    .sort((a, b) => semver.rcompare(a.version, b.version, true));
  const [best] = matching;
  if (!best) {
    throw new ChartFetchError(
      `${repoUrl}: chart "${spec.chart}" has no version matching "${spec.version}"`,
    );
  }
  return best;
}

async function load(
  data: Buffer,
  url: string,
  options: FetchChartOptions,
  expectedDigest: string | undefined,
  version?: string,
): Promise<FetchedChart> {
  const digest = createHash('sha256').update(data).digest('hex');
  if (expectedDigest && expectedDigest !== digest) {
    throw new ChartFetchError(
      `${redact(url)}: digest ${digest} is not the index's ${expectedDigest}`,
    );
  }
  await writeCachedChart(
    options.cacheDir,
    digest,
    data,
    options.cacheLimits ?? DEFAULT_CHART_CACHE_LIMITS,
  );
  const chart = await loadChartArchive(data, options.limits ?? DEFAULT_CHART_LIMITS, redact(url));
  return { chart, digest, version: version ?? chart.metadata.version, url: redact(url) };
}

/** GET with a byte bound, the address policy on every hop, and auth only to `authOrigin`. */
async function download(
  url: string,
  options: FetchChartOptions,
  maxBytes: number,
  authOrigin: string | undefined,
): Promise<Buffer> {
  const { auth } = options;
  const response = await httpGet(url, {
    policy: options.policy,
    allowInsecureHttp: options.allowInsecureHttp,
    timeoutMs: options.timeoutMs,
    caBundle: options.caBundle,
    maxBytes,
    ...(auth && authOrigin
      ? {
          authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`,
          authOrigin,
        }
      : {}),
  });
  if (response.status !== 200) {
    const hint =
      response.status === 401 || response.status === 403
        ? ' (check the repository credentials)'
        : '';
    throw new ChartFetchError(`${redact(url)}: HTTP ${response.status}${hint}`);
  }
  return response.body;
}
