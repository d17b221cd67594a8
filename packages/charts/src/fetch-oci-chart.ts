import { createHash } from 'node:crypto';
import { currentAddressPolicy } from '@flotilla/net';
import semver from 'semver';
import { readCachedChart } from './chart-cache.ts';
import {
  ChartFetchError,
  checkChartUrl,
  httpGet,
  redact,
  type HttpGetResult,
  type OutboundOptions,
} from './http-get.ts';

/** Helm's OCI layout (helm.sh/helm/v3/pkg/registry). */
export const HELM_CONFIG_MEDIA_TYPE = 'application/vnd.cncf.helm.config.v1+json';
export const HELM_CHART_LAYER_MEDIA_TYPE = 'application/vnd.cncf.helm.chart.content.v1.tar+gzip';
/** What Helm 3.0-3.7 pushed as the chart layer; Helm still pulls it. */
const LEGACY_CHART_LAYER_MEDIA_TYPE = 'application/tar+gzip';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
const MAX_TAG_LIST_BYTES = 4 * 1024 * 1024;
const MAX_TOKEN_BYTES = 64 * 1024;
const MAX_TAG_PAGES = 20;

export interface OciReference {
  /** The registry's base URL (`https://host[:port]`). */
  registry: string;
  /** The repository inside the registry (`charts/podinfo`). */
  repository: string;
  /** A tag written in the reference (`oci://host/name:1.2.3`), if any. */
  tag: string;
  /** A manifest digest written in the reference (`oci://host/name@sha256:...`), if any. */
  digest: string;
  /** The reference as the user would read it, for messages. */
  display: string;
}

export interface OciAuth {
  username: string;
  password: string;
}

export interface FetchOciChartOptions extends OutboundOptions {
  reference: OciReference;
  /** A version or constraint (Helm's `--version`); "" is the highest stable tag. */
  version: string;
  auth?: OciAuth | undefined;
  cacheDir?: string | undefined;
  maxBytes: number;
}

export interface FetchedOciArchive {
  data: Buffer;
  /** sha256 of the chart layer (hex). */
  digest: string;
  tag: string;
  url: string;
}

/**
 * `oci://host[:port]/path/name[:tag]`, from fleet.yaml's `helm.chart` alone, or `helm.repo`
 * (`oci://host/path`) with `helm.chart` the name in it. Registries are reached over https;
 * a loopback registry over plain http (as Docker treats 127.0.0.0/8 as an insecure registry),
 * or any registry when plain http is allowed.
 */
export function parseOciReference(
  repo: string,
  chart: string,
  options: OutboundOptions = {},
): OciReference {
  const written = chart.startsWith('oci://')
    ? chart
    : `${repo.replace(/\/+$/, '')}/${chart.replace(/^\/+/, '')}`;
  const rest = written.slice('oci://'.length);
  const slash = rest.indexOf('/');
  const host = slash < 0 ? rest : rest.slice(0, slash);
  let path = slash < 0 ? '' : rest.slice(slash + 1);
  let digest = '';
  const at = path.lastIndexOf('@');
  if (at >= 0) {
    digest = path.slice(at + 1);
    path = path.slice(0, at);
  }
  let tag = '';
  const lastSegment = path.slice(path.lastIndexOf('/') + 1);
  const colon = lastSegment.indexOf(':');
  if (colon >= 0) {
    tag = lastSegment.slice(colon + 1);
    path = path.slice(0, path.length - lastSegment.length + colon);
  }
  // The Distribution spec's repository name grammar.
  const isName =
    /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/.test(
      path,
    );
  const isBadTag = tag !== '' && !/^[\w][\w.-]{0,127}$/.test(tag);
  const isBadDigest = at >= 0 && !/^sha256:[0-9a-f]{64}$/.test(digest);
  if (!host || !isName || host.includes('@') || isBadTag || isBadDigest) {
    throw new ChartFetchError(
      `${redact(written)}: not an OCI chart reference (oci://registry/path/chart[:tag])`,
    );
  }
  const policy = options.policy ?? currentAddressPolicy();
  const hostname = host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  const isPlain = options.allowInsecureHttp || policy.isLoopback(hostname);
  const registry = `${isPlain ? 'http' : 'https'}://${host}`;
  checkChartUrl(`${registry}/v2/`, options);
  return { registry, repository: path, tag, digest, display: `oci://${host}/${path}` };
}

/**
 * Pulls a chart from an OCI registry as `helm pull oci://...` does, through the Distribution v2
 * API: the tag list when the version is a constraint (Helm's `_` for `+`), the manifest (its
 * config must be Helm's), then the chart layer, checked against its digest and kept in the cache
 * by it. Auth follows the registry's WWW-Authenticate challenge: Basic, or a Bearer token from
 * the realm it names (anonymous, or with the credentials). Every URL, the token realm and blob
 * redirects included, passes the address policy; credentials go only to the registry and its
 * token realm, a token only to the registry.
 */
export async function fetchOciChart(options: FetchOciChartOptions): Promise<FetchedOciArchive> {
  const { reference } = options;
  const session = new RegistrySession(options);
  // A digest pins the manifest itself: no tag is looked up, and the answer must hash to it.
  const tag = reference.digest || (await resolveTag(session, options));
  const manifestUrl = `${reference.registry}/v2/${reference.repository}/manifests/${tag}`;
  const manifestResponse = await session.get(manifestUrl, MAX_MANIFEST_BYTES, {
    accept: OCI_MANIFEST,
  });
  const where = reference.digest
    ? `${reference.display}@${reference.digest}`
    : `${reference.display}:${tag}`;
  if (reference.digest) {
    const actual = `sha256:${createHash('sha256').update(manifestResponse.body).digest('hex')}`;
    if (actual !== reference.digest) {
      throw new ChartFetchError(`${where}: the registry answered a manifest with digest ${actual}`);
    }
  }
  const layer = helmLayerOf(manifestResponse.body, where);
  const digest = layer.digest.slice('sha256:'.length);
  const blobUrl = `${reference.registry}/v2/${reference.repository}/blobs/${layer.digest}`;
  const cached = await readCachedChart(options.cacheDir, digest);
  if (cached) return { data: cached, digest, tag, url: where };
  if (layer.size > options.maxBytes) {
    throw new ChartFetchError(
      `${where}: the chart layer is ${layer.size} bytes, over ${options.maxBytes}`,
    );
  }
  const blob = await session.get(blobUrl, options.maxBytes);
  const actual = createHash('sha256').update(blob.body).digest('hex');
  if (actual !== digest) {
    throw new ChartFetchError(
      `${where}: the chart layer's digest ${actual} is not the manifest's ${digest}`,
    );
  }
  return { data: blob.body, digest, tag, url: where };
}

async function resolveTag(session: RegistrySession, options: FetchOciChartOptions) {
  const { reference, version } = options;
  if (reference.tag && version && reference.tag !== version) {
    throw new ChartFetchError(
      `${reference.display}: the reference's tag ${reference.tag} and version ${version} differ`,
    );
  }
  const wanted = reference.tag || version;
  // An exact version is a tag as it is (Helm writes "+" as "_": tags cannot hold "+").
  if (wanted && semver.valid(wanted, { loose: true })) return wanted.replace(/\+/g, '_');
  const tags = await listTags(session, reference);
  const range = wanted || '*';
  const includePrerelease = semver.prerelease(range.replace(/^[^0-9]*/, '')) !== null;
  const best = tags
    .map((tag) => ({ tag, version: tag.replace(/_/g, '+') }))
    .filter(({ version: v }) => semver.valid(v, { loose: true }))
    .filter(({ version: v }) => semver.satisfies(v, range, { loose: true, includePrerelease }))
    .sort((a, b) => semver.rcompare(a.version, b.version, true))[0];
  if (!best) {
    throw new ChartFetchError(
      `${reference.display}: no tag matches version "${version}" (tags: ${tags.slice(0, 20).join(', ') || 'none'})`,
    );
  }
  return best.tag;
}

async function listTags(session: RegistrySession, reference: OciReference): Promise<string[]> {
  const tags: string[] = [];
  let url: string | undefined = `${reference.registry}/v2/${reference.repository}/tags/list?n=1000`;
  for (let page = 0; url && page < MAX_TAG_PAGES; page += 1) {
    const response = await session.get(url, MAX_TAG_LIST_BYTES);
    let list: unknown;
    try {
      list = JSON.parse(response.body.toString('utf8'));
    } catch {
      throw new ChartFetchError(`${reference.display}: the tag list is not JSON`);
    }
    const found = (list as { tags?: unknown } | null)?.tags;
    if (Array.isArray(found)) tags.push(...found.filter((tag) => typeof tag === 'string'));
    // Pagination (RFC 5988 Link header), resolved against the registry and kept on it.
    const next = /<([^>]+)>\s*;\s*rel="?next"?/.exec(String(response.headers.link ?? ''))?.[1];
    url = next ? new URL(next, reference.registry).toString() : undefined;
    if (url && new URL(url).origin !== new URL(reference.registry).origin) url = undefined;
  }
  return tags;
}

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
}

function helmLayerOf(body: Buffer, where: string): Descriptor {
  let manifest: { config?: Partial<Descriptor>; layers?: Partial<Descriptor>[] };
  try {
    manifest = JSON.parse(body.toString('utf8')) as typeof manifest;
  } catch {
    throw new ChartFetchError(`${where}: the manifest is not JSON`);
  }
  const configType = manifest.config?.mediaType;
  if (configType !== HELM_CONFIG_MEDIA_TYPE) {
    throw new ChartFetchError(
      `${where}: not a Helm chart (the manifest's config is ${configType ?? 'missing'}, not ${HELM_CONFIG_MEDIA_TYPE})`,
    );
  }
  const layer = (manifest.layers ?? []).find(
    (item) =>
      item.mediaType === HELM_CHART_LAYER_MEDIA_TYPE ||
      item.mediaType === LEGACY_CHART_LAYER_MEDIA_TYPE,
  );
  if (!layer || typeof layer.digest !== 'string' || !/^sha256:[0-9a-f]{64}$/.test(layer.digest)) {
    throw new ChartFetchError(
      `${where}: the manifest has no chart layer (${HELM_CHART_LAYER_MEDIA_TYPE}) with a sha256 digest`,
    );
  }
  return {
    mediaType: String(layer.mediaType),
    digest: layer.digest,
    size: typeof layer.size === 'number' ? layer.size : 0,
  };
}

/** A challenge of a WWW-Authenticate header: `Bearer realm="...",service="...",scope="..."`. */
interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

export function parseChallenge(header: string): Challenge | undefined {
  const match = /^\s*([A-Za-z]+)\s*(.*)$/.exec(header);
  if (!match) return undefined;
  const params: Record<string, string> = {};
  for (const param of (match[2] ?? '').matchAll(
    /([A-Za-z_]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g,
  )) {
    const [, key = '', quoted, bare] = param;
    params[key.toLowerCase()] = (quoted ?? bare ?? '').replace(/\\(.)/g, '$1');
  }
  return { scheme: (match[1] ?? '').toLowerCase(), params };
}

/**
 * Requests to one registry with the Authorization the registry asked for: on a 401 the
 * challenge is answered once (Basic with the credentials, or a Bearer token fetched from the
 * realm), and the answer reused for the following requests.
 */
class RegistrySession {
  private authorization: string | undefined;
  private readonly origin: string;

  constructor(private readonly options: FetchOciChartOptions) {
    this.origin = new URL(options.reference.registry).origin;
  }

  async get(
    url: string,
    maxBytes: number,
    headers: Record<string, string> = {},
  ): Promise<HttpGetResult> {
    const send = () =>
      httpGet(url, {
        ...this.outbound(),
        maxBytes,
        headers,
        authorization: this.authorization,
        authOrigin: this.origin,
      });
    let response = await send();
    if (response.status === 401) {
      const challenge = parseChallenge(String(response.headers['www-authenticate'] ?? ''));
      const before = this.authorization;
      await this.answer(challenge);
      if (this.authorization !== before) response = await send();
    }
    if (response.status >= 200 && response.status < 300) return response;
    const where = `${this.options.reference.display}`;
    const what = url.includes('/manifests/')
      ? 'manifest'
      : url.includes('/blobs/')
        ? 'chart layer'
        : 'tag list';
    if (response.status === 401 || response.status === 403) {
      throw new ChartFetchError(
        `${where}: HTTP ${response.status} reading the ${what} (check the registry credentials)`,
      );
    }
    if (response.status === 404) {
      throw new ChartFetchError(
        `${where}: HTTP 404 reading the ${what} (no such chart or version)`,
      );
    }
    throw new ChartFetchError(`${where}: HTTP ${response.status} reading the ${what}`);
  }

  private outbound(): OutboundOptions {
    return {
      policy: this.options.policy,
      allowInsecureHttp: this.options.allowInsecureHttp,
      timeoutMs: this.options.timeoutMs,
      caBundle: this.options.caBundle,
    };
  }

  private basic(): string | undefined {
    const { auth } = this.options;
    if (!auth) return undefined;
    return `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
  }

  private async answer(challenge: Challenge | undefined): Promise<void> {
    const where = this.options.reference.display;
    if (challenge?.scheme === 'basic') {
      if (!this.options.auth) {
        throw new ChartFetchError(`${where}: the registry asks for credentials (helmSecretName)`);
      }
      this.authorization = this.basic();
      return;
    }
    if (challenge?.scheme !== 'bearer' || !challenge.params.realm) return;
    const realm = new URL(challenge.params.realm);
    if (challenge.params.service) realm.searchParams.set('service', challenge.params.service);
    realm.searchParams.set(
      'scope',
      challenge.params.scope || `repository:${this.options.reference.repository}:pull`,
    );
    const basic = this.basic();
    const response = await httpGet(realm.toString(), {
      ...this.outbound(),
      maxBytes: MAX_TOKEN_BYTES,
      ...(basic ? { authorization: basic, authOrigin: realm.origin } : {}),
    });
    if (response.status !== 200) {
      const hint =
        response.status === 401 || response.status === 403
          ? ' (check the registry credentials)'
          : '';
      throw new ChartFetchError(
        `${where}: the token service ${redact(realm.origin)} answered HTTP ${response.status}${hint}`,
      );
    }
    let token: unknown;
    try {
      const answer = JSON.parse(response.body.toString('utf8')) as {
        token?: unknown;
        access_token?: unknown;
      };
      token = answer.token ?? answer.access_token;
    } catch {
      token = undefined;
    }
    if (typeof token !== 'string' || token === '' || /[\r\n]/.test(token)) {
      throw new ChartFetchError(
        `${where}: the token service ${redact(realm.origin)} gave no token`,
      );
    }
    this.authorization = `Bearer ${token}`;
  }
}
