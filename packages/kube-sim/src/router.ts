import type { IncomingHttpHeaders } from 'node:http';
import {
  ApiError,
  badRequest,
  forbidden,
  methodNotAllowed,
  resourceNotServed,
  unauthorized,
} from './api-error.ts';
import { nowTimestamp, type ClusterState } from './cluster-state.ts';
import { deleteCollection, deleteObject, deleteOptionsFrom } from './delete-object.ts';
import { coreVersions, groupInfo, groupList, resourceList } from './discovery.ts';
import type { JsonObject, JsonValue } from './json.ts';
import { getObject, listObjects } from './read-objects.ts';
import type { ResourceType } from './resource-types.ts';
import { patchObject, patchTypeOf } from './patch-object.ts';
import { createObject, replaceObject } from './write-object.ts';
import type { WriteTarget } from './write-support.ts';

/**
 * Turns one HTTP request into an API call on a simulated cluster: authentication, the
 * non-resource paths (version, health, discovery), then the REST verbs on resources. Pure and
 * synchronous: the HTTP layer only reads bodies and writes answers.
 */

export interface SimRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** host:port the client connected to, for /api's serverAddressByClientCIDRs. */
  serverAddress: string;
}

export interface SimResponse {
  status: number;
  body: JsonValue | string;
}

/** A watch the HTTP layer streams; see watch.ts. */
export interface WatchCall {
  type: ResourceType;
  namespace: string;
  query: URLSearchParams;
}

export type RouteResult = SimResponse | { watch: WatchCall };

const MUTATING = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);
const ANONYMOUS_PATHS = ['/version', '/healthz', '/readyz', '/livez'];
const GIT_COMMITS: Record<string, string> = {
  'v1.20.2': 'faecb196815e248d3ecfb03c680a4507229c2a56',
};

function versionInfo(gitVersion: string): JsonValue {
  const [major = '1', minor = '0'] = gitVersion.replace(/^v/, '').split('.');
  return {
    major,
    minor,
    gitVersion,
    gitCommit: GIT_COMMITS[gitVersion] ?? '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2021-01-13T13:20:00Z',
    goVersion: 'go1.15.5',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

interface ResourcePath {
  group: string;
  version: string;
  namespace: string;
  resource: string;
  name: string;
  subresource: string;
}

function parseResourcePath(segments: string[]): ResourcePath | undefined {
  let group: string;
  let version: string;
  let rest: string[];
  if (segments[0] === 'api' && segments.length >= 3) {
    [group, version, rest] = ['', segments[1] as string, segments.slice(2)];
  } else if (segments[0] === 'apis' && segments.length >= 4) {
    [group, version, rest] = [segments[1] as string, segments[2] as string, segments.slice(3)];
  } else {
    return undefined;
  }
  // namespaces/<name>/status and /finalize are the Namespace's own subresources.
  const isNamespacedPath =
    rest[0] === 'namespaces' && rest.length >= 3 && rest[2] !== 'status' && rest[2] !== 'finalize';
  const [namespace, resource, name, subresource] = isNamespacedPath
    ? [rest[1] as string, rest[2] as string, rest[3] ?? '', rest[4] ?? '']
    : ['', rest[0] as string, rest[1] ?? '', rest[2] ?? ''];
  return { group, version, namespace, resource, name, subresource };
}

function verbOf(method: string, hasName: boolean, query: URLSearchParams): string {
  const isWatch = query.get('watch') === 'true' || query.get('watch') === '1';
  switch (method) {
    case 'GET':
      return hasName ? 'get' : isWatch ? 'watch' : 'list';
    case 'POST':
      return hasName ? 'unsupported' : 'create';
    case 'PUT':
      return hasName ? 'update' : 'unsupported';
    case 'PATCH':
      return hasName ? 'patch' : 'unsupported';
    case 'DELETE':
      return hasName ? 'delete' : 'deletecollection';
    default:
      return 'unsupported';
  }
}

function anonymousForbidden(
  path: ResourcePath | undefined,
  verb: string,
  pathname: string,
): ApiError {
  if (!path)
    return forbidden(`forbidden: User "system:anonymous" cannot get path "${pathname}"`, {});
  const qualified = path.group === '' ? path.resource : `${path.resource}.${path.group}`;
  const subject = path.name === '' ? qualified : `${qualified} "${path.name}"`;
  const scope =
    path.namespace === '' ? 'at the cluster scope' : `in the namespace "${path.namespace}"`;
  const details: JsonObject = {};
  if (path.name !== '') details.name = path.name;
  if (path.group !== '') details.group = path.group;
  details.kind = path.resource;
  return forbidden(
    `${subject} is forbidden: User "system:anonymous" cannot ${verb} resource "${path.resource}" in API group "${path.group}" ${scope}`,
    details,
  );
}

function parseBody(body: string, what: string): JsonValue {
  if (body.trim() === '') return null;
  try {
    return JSON.parse(body) as JsonValue;
  } catch (error) {
    throw badRequest(`${what}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function isDryRun(query: URLSearchParams): boolean {
  const values = query.getAll('dryRun');
  for (const value of values)
    if (value !== 'All') throw badRequest(`Invalid dry run: "${value}" (only "All" is supported)`);
  return values.length > 0;
}

function managerOf(query: URLSearchParams, headers: IncomingHttpHeaders): string {
  const fieldManager = query.get('fieldManager');
  if (fieldManager) return fieldManager;
  const userAgent = headers['user-agent'] ?? '';
  return userAgent.split('/')[0]?.slice(0, 128) ?? '';
}

export function route(cluster: ClusterState, request: SimRequest): RouteResult {
  cluster.counters.requests += 1;
  const url = new URL(request.url, 'http://sim');
  const pathname = url.pathname.replace(/\/+$/, '') || '/';
  const segments = pathname
    .split('/')
    .filter((segment) => segment !== '')
    .map(decodeURIComponent);
  const resourcePath = parseResourcePath(segments);
  const verb = resourcePath
    ? verbOf(request.method, resourcePath.name !== '', url.searchParams)
    : 'get';
  try {
    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      if (authorization !== `Bearer ${cluster.token}`) throw unauthorized();
    } else if (
      !ANONYMOUS_PATHS.some((path) => pathname === path || pathname.startsWith(`${path}/`))
    ) {
      throw anonymousForbidden(resourcePath, verb, pathname);
    }
    if (!resourcePath) return nonResource(cluster, request, segments, pathname);
    cluster.counters.byVerb[verb] = (cluster.counters.byVerb[verb] ?? 0) + 1;
    return resource(cluster, request, resourcePath, verb, url.searchParams);
  } catch (error) {
    if (error instanceof ApiError) return { status: error.code, body: error.toStatus() };
    throw error;
  }
}

function nonResource(
  cluster: ClusterState,
  request: SimRequest,
  segments: string[],
  pathname: string,
): SimResponse {
  if (request.method !== 'GET' && request.method !== 'HEAD') throw methodNotAllowed();
  switch (pathname) {
    case '/version':
      return { status: 200, body: versionInfo(cluster.kubernetesVersion) };
    case '/healthz':
    case '/readyz':
    case '/livez':
      return { status: 200, body: 'ok' };
    case '/api':
      return { status: 200, body: coreVersions(request.serverAddress) };
    case '/apis':
      return { status: 200, body: groupList(cluster.catalog) };
  }
  if (segments[0] === 'api' && segments.length === 2) {
    const list = resourceList(cluster.catalog, '', segments[1] as string);
    if (list) return { status: 200, body: list };
  }
  if (segments[0] === 'apis' && segments.length === 2) {
    const group = groupInfo(cluster.catalog, segments[1] as string);
    if (group) return { status: 200, body: group };
  }
  if (segments[0] === 'apis' && segments.length === 3) {
    const list = resourceList(cluster.catalog, segments[1] as string, segments[2] as string);
    if (list) return { status: 200, body: list };
  }
  return { status: 404, body: '404 page not found\n' };
}

function resource(
  cluster: ClusterState,
  request: SimRequest,
  path: ResourcePath,
  verb: string,
  query: URLSearchParams,
): RouteResult {
  const type = cluster.catalog.lookup(path.group, path.version, path.resource);
  if (!type || (path.namespace !== '' && !type.isNamespaced)) throw resourceNotServed();
  if (path.subresource !== '' && !(path.subresource === 'status' && type.hasStatus))
    throw resourceNotServed();
  if (verb === 'unsupported' || !type.verbs.includes(verb)) throw methodNotAllowed();
  const isStatus = path.subresource === 'status';
  if (isStatus && !['get', 'update', 'patch'].includes(verb)) throw methodNotAllowed();
  const isDry = isDryRun(query);
  if (MUTATING.has(verb) && !isDry) cluster.counters.mutating += 1;
  const now = nowTimestamp();
  const target: WriteTarget = {
    type,
    namespace: path.namespace,
    name: path.name,
    ...(isStatus ? { subresource: 'status' as const } : {}),
  };
  const writeOptions = { isDryRun: isDry, manager: managerOf(query, request.headers), now };
  switch (verb) {
    case 'get':
      return { status: 200, body: getObject(cluster, type, path.namespace, path.name) };
    case 'list':
      return { status: 200, body: listObjects(cluster, type, path.namespace, query) };
    case 'watch':
      return { watch: { type, namespace: path.namespace, query } };
    case 'create': {
      if (type.isNamespaced && path.namespace === '') throw methodNotAllowed();
      const { code, object } = createObject(
        cluster,
        target,
        parseBody(request.body, 'invalid JSON body'),
        writeOptions,
      );
      return { status: code, body: object };
    }
    case 'update': {
      const { code, object } = replaceObject(
        cluster,
        target,
        parseBody(request.body, 'invalid JSON body'),
        writeOptions,
      );
      return { status: code, body: object };
    }
    case 'patch': {
      const patchType = patchTypeOf(request.headers['content-type'] ?? '');
      const what =
        patchType === 'apply'
          ? 'kube-sim reads apply patches as JSON (a YAML body is not supported)'
          : 'invalid JSON patch body';
      const { code, object } = patchObject(
        cluster,
        target,
        patchType,
        parseBody(request.body, what),
        {
          ...writeOptions,
          isForced: query.get('force') === 'true',
          fieldManager: query.get('fieldManager') ?? undefined,
        },
      );
      return { status: code, body: object };
    }
    case 'delete': {
      const options = deleteOptionsFrom(
        query,
        parseBody(request.body, 'invalid DeleteOptions') ?? undefined,
        now,
      );
      const { code, body } = deleteObject(cluster, type, path.namespace, path.name, options);
      return { status: code, body };
    }
    case 'deletecollection': {
      const options = deleteOptionsFrom(
        query,
        parseBody(request.body, 'invalid DeleteOptions') ?? undefined,
        now,
      );
      return { status: 200, body: deleteCollection(cluster, type, path.namespace, query, options) };
    }
  }
  throw methodNotAllowed();
}
