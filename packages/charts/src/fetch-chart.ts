import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import {
  DEFAULT_CHART_LIMITS,
  loadChartArchive,
  type Chart,
  type ChartLimits,
} from '@flotilla/helm';
import {
  assertOutboundUrl,
  createGuardedLookup,
  currentAddressPolicy,
  hostOf,
  type AddressPolicy,
} from '@flotilla/net';
import semver from 'semver';
import { parse as parseYaml } from 'yaml';

/** A chart as fleet.yaml names it (the engine's ChartRequest). */
export interface ChartSpec {
  repo: string;
  chart: string;
  version: string;
}

/** Basic auth for the Helm repository (Fleet's helmSecretName). */
export interface ChartAuth {
  username: string;
  password: string;
}

export interface FetchChartOptions {
  spec: ChartSpec;
  auth?: ChartAuth | undefined;
  /** Downloaded archives, one file per sha256; none when absent. */
  cacheDir?: string | undefined;
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

/** A chart could not be fetched; the message names the repository or URL, never credentials. */
export class ChartFetchError extends Error {
  override readonly name = 'ChartFetchError';
}

const MAX_REDIRECTS = 5;

/**
 * Fetches the chart fleet.yaml's `helm.repo` / `helm.chart` / `helm.version` name, as Fleet's
 * bundle reader does: from an HTTP Helm repository (index.yaml, the highest version matching
 * the constraint), or a `.tgz` URL. Every URL, redirects included, passes the address policy and
 * every connection checks DNS answers again (rebinding). Credentials go only to the repository's
 * own origin, as Helm does without --pass-credentials.
 */
export async function fetchChart(options: FetchChartOptions): Promise<FetchedChart> {
  const { spec } = options;
  const limits = options.limits ?? DEFAULT_CHART_LIMITS;
  if (spec.repo.startsWith('oci://') || spec.chart.startsWith('oci://')) {
    throw new ChartFetchError(`${spec.repo || spec.chart}: OCI registries are not supported yet`);
  }
  if (!spec.repo) {
    const data = await download(spec.chart, options, limits.maxTotalBytes, undefined);
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
  const cached = entry.digest ? await readCache(options.cacheDir, entry.digest) : undefined;
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
  await writeCache(options.cacheDir, digest, data);
  const chart = await loadChartArchive(data, options.limits ?? DEFAULT_CHART_LIMITS, redact(url));
  return { chart, digest, version: version ?? chart.metadata.version, url: redact(url) };
}

async function readCache(dir: string | undefined, digest: string): Promise<Buffer | undefined> {
  if (!dir || !/^[0-9a-f]{64}$/.test(digest)) return undefined;
  const data = await readFile(join(dir, `${digest}.tgz`)).catch(() => undefined);
  // A cache file is trusted only when it still hashes to its name.
  if (data && createHash('sha256').update(data).digest('hex') === digest) return data;
  return undefined;
}

async function writeCache(dir: string | undefined, digest: string, data: Buffer): Promise<void> {
  if (!dir) return;
  await mkdir(dir, { recursive: true });
  const temporary = join(dir, `${digest}.${process.pid}.tmp`);
  await writeFile(temporary, data);
  await rename(temporary, join(dir, `${digest}.tgz`));
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return '(invalid URL)';
  }
}

/** GET with a byte bound, the address policy on every hop, and auth only to `authOrigin`. */
async function download(
  url: string,
  options: FetchChartOptions,
  maxBytes: number,
  authOrigin: string | undefined,
  redirects = 0,
): Promise<Buffer> {
  const policy = options.policy ?? currentAddressPolicy();
  let parsed: URL;
  try {
    parsed = assertOutboundUrl(url, { what: 'the chart', schemes: ['https', 'http'], policy });
  } catch (error) {
    throw new ChartFetchError(`${redact(url)}: ${(error as Error).message}`);
  }
  if (
    parsed.protocol === 'http:' &&
    !options.allowInsecureHttp &&
    !policy.isLoopback(hostOf(parsed))
  ) {
    throw new ChartFetchError(
      `${redact(url)}: uses plain http: use https:// (http:// is allowed only to a loopback address)`,
    );
  }
  const headers: Record<string, string> = { 'user-agent': 'flotilla' };
  if (options.auth && parsed.origin === authOrigin) {
    const token = Buffer.from(`${options.auth.username}:${options.auth.password}`).toString(
      'base64',
    );
    headers.authorization = `Basic ${token}`;
  }
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    const send = parsed.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(parsed, {
      headers,
      lookup: createGuardedLookup(policy),
      timeout: options.timeoutMs ?? 30_000,
    });
    req.on('response', resolve);
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  }).catch((error: Error) => {
    throw new ChartFetchError(`${redact(url)}: ${error.message}`);
  });

  const status = response.statusCode ?? 0;
  if (status >= 300 && status < 400 && response.headers.location) {
    response.resume();
    if (redirects >= MAX_REDIRECTS) throw new ChartFetchError(`${redact(url)}: too many redirects`);
    const next = new URL(response.headers.location, parsed).toString();
    return download(next, options, maxBytes, authOrigin, redirects + 1);
  }
  if (status !== 200) {
    response.resume();
    const hint = status === 401 || status === 403 ? ' (check the repository credentials)' : '';
    throw new ChartFetchError(`${redact(url)}: HTTP ${status}${hint}`);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of response) {
    total += (chunk as Buffer).length;
    if (total > maxBytes) {
      response.destroy();
      throw new ChartFetchError(`${redact(url)}: larger than ${maxBytes} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
