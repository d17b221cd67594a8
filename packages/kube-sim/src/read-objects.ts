import { badRequest, notFound } from './api-error.ts';
import { keyOf, type ClusterState } from './cluster-state.ts';
import type { JsonObject } from './json.ts';
import { groupVersionOf, type ResourceType } from './resource-types.ts';
import {
  labelsOf,
  matchesFields,
  matchesLabels,
  namespaceOf,
  parseFieldSelector,
  parseLabelSelector,
} from './selectors.ts';

/** Custom resources are stored once for all served versions; reads answer in the one asked for. */
export function asServed(type: ResourceType, object: JsonObject): JsonObject {
  if (!type.isCustom) return object;
  const apiVersion = groupVersionOf(type);
  return object.apiVersion === apiVersion ? object : { ...object, apiVersion };
}

export function getObject(
  cluster: ClusterState,
  type: ResourceType,
  namespace: string,
  name: string,
): JsonObject {
  const object = cluster.store.get(keyOf(type, namespace, name));
  if (!object) throw notFound(type, name);
  return asServed(type, object);
}

function itemKey(object: JsonObject): string {
  const metadata = object.metadata as JsonObject;
  return `${namespaceOf(object)}/${String(metadata.name)}`;
}

function decodeContinue(token: string): string {
  try {
    const decoded = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as {
      start?: unknown;
    };
    if (typeof decoded.start === 'string') return decoded.start;
  } catch {
    // fall through to the error below
  }
  throw badRequest('continue key is not valid: illegal base64 data at input byte 0');
}

/** The objects a list or deletecollection call selects, before pagination. */
export function selectObjects(
  cluster: ClusterState,
  type: ResourceType,
  namespace: string,
  query: URLSearchParams,
): JsonObject[] {
  const labels = parseLabelSelector(query.get('labelSelector') ?? '');
  const fields = parseFieldSelector(query.get('fieldSelector') ?? '', type.group, type.kind);
  return cluster.store
    .list(type, type.isNamespaced ? namespace : '')
    .filter((object) => matchesLabels(labels, labelsOf(object)) && matchesFields(fields, object));
}

export function listObjects(
  cluster: ClusterState,
  type: ResourceType,
  namespace: string,
  query: URLSearchParams,
): JsonObject {
  let items = selectObjects(cluster, type, namespace, query);
  const metadata: JsonObject = { resourceVersion: cluster.store.currentRevision() };
  const continueToken = query.get('continue');
  if (continueToken) {
    const start = decodeContinue(continueToken);
    items = items.filter((object) => itemKey(object) > start);
  }
  const limit = Number(query.get('limit') ?? '0');
  if (Number.isInteger(limit) && limit > 0 && items.length > limit) {
    const remaining = items.length - limit;
    items = items.slice(0, limit);
    const last = items[items.length - 1];
    if (last) {
      metadata.continue = Buffer.from(
        JSON.stringify({
          v: 'meta.k8s.io/v1',
          rv: Number(metadata.resourceVersion),
          start: itemKey(last),
        }),
      ).toString('base64');
      metadata.remainingItemCount = remaining;
    }
  } else if (type.isCustom) {
    metadata.continue = '';
  }
  // Typed lists of built-in kinds carry no apiVersion/kind on their items; custom ones do.
  const served = items.map((object) => {
    if (type.isCustom) return asServed(type, object);
    const { kind: _kind, apiVersion: _apiVersion, ...rest } = object;
    return rest;
  });
  return { kind: type.listKind, apiVersion: groupVersionOf(type), metadata, items: served };
}
