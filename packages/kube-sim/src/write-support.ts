import { badRequest, namespaceNotFound, namespaceTerminating } from './api-error.ts';
import type { ClusterState } from './cluster-state.ts';
import { deepEqual, isObject, objectAt, type JsonObject, type JsonValue } from './json.ts';
import { groupVersionOf, type ResourceType } from './resource-types.ts';

/** The shared vocabulary of writes: targets, options, identity checks and object layout. */

export interface WriteTarget {
  type: ResourceType;
  namespace: string;
  /** Empty for a create (POST). */
  name: string;
  subresource?: 'status';
}

export interface WriteOptions {
  isDryRun: boolean;
  /** fieldManager, or the client's user agent up to the first '/'. */
  manager: string;
  now: string;
}

export interface WriteResult {
  code: number;
  object: JsonObject;
}

const NAME_SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function randomSuffix(): string {
  let suffix = '';
  for (let i = 0; i < 5; i++)
    suffix += NAME_SUFFIX_ALPHABET[Math.floor(Math.random() * NAME_SUFFIX_ALPHABET.length)];
  return suffix;
}

export function withoutManagedFields(object: JsonObject): JsonObject {
  const metadata = isObject(object.metadata) ? { ...object.metadata } : {};
  delete metadata.managedFields;
  return { ...object, metadata };
}

export function metadataString(object: JsonObject, field: string): string | undefined {
  const value = isObject(object.metadata) ? object.metadata[field] : undefined;
  return typeof value === 'string' ? value : undefined;
}

export function requireObjectBody(body: JsonValue): JsonObject {
  if (!isObject(body)) throw badRequest('the body of the request must be a JSON object');
  return body;
}

/** Namespaced writes need a namespace that exists and is not being deleted. */
export function requireLiveNamespace(
  cluster: ClusterState,
  target: WriteTarget,
  name: string,
): void {
  if (!target.type.isNamespaced) return;
  const namespace = cluster.namespace(target.namespace);
  if (!namespace) throw namespaceNotFound(target.namespace);
  if (isObject(namespace.metadata) && namespace.metadata.deletionTimestamp) {
    throw namespaceTerminating(target.type, name, target.namespace);
  }
}

export function checkIdentity(target: WriteTarget, body: JsonObject): void {
  const namespace = metadataString(body, 'namespace');
  if (
    target.type.isNamespaced &&
    namespace !== undefined &&
    namespace !== '' &&
    namespace !== target.namespace
  ) {
    throw badRequest(
      'the namespace of the provided object does not match the namespace sent on the request',
    );
  }
  const name = metadataString(body, 'name');
  if (target.name !== '' && name !== undefined && name !== target.name) {
    throw badRequest(
      `the name of the object (${name}) does not match the name on the URL (${target.name})`,
    );
  }
}

export function setIdentity(target: WriteTarget, object: JsonObject, name: string): void {
  object.apiVersion = groupVersionOf(target.type);
  object.kind = target.type.kind;
  const metadata = objectAt(object, ['metadata']);
  metadata.name = name;
  if (target.type.isNamespaced) metadata.namespace = target.namespace;
  else delete metadata.namespace;
}

/**
 * Whether a write bumps metadata.generation: any change but metadata and status (everything
 * but metadata for kinds without a status subresource). The v1.20 Deployment strategy also
 * counts annotation changes.
 */
export function isSpecChanged(previous: JsonObject, next: JsonObject, type: ResourceType): boolean {
  const strip = ({ metadata: _m, status: _s, ...rest }: JsonObject) => rest;
  if (type.kind === 'Deployment' && !type.isCustom) {
    const annotations = (object: JsonObject) =>
      isObject(object.metadata) ? object.metadata.annotations : undefined;
    if (!deepEqual(annotations(previous), annotations(next))) return true;
  }
  if (!type.hasStatus)
    return !deepEqual({ ...previous, metadata: null }, { ...next, metadata: null });
  return !deepEqual(strip(previous), strip(next));
}

const METADATA_ORDER = [
  'name',
  'generateName',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
];

/** Key order as the server writes objects: kind, apiVersion, metadata, ..., status. */
export function orderObject(object: JsonObject): JsonObject {
  const metadata = isObject(object.metadata) ? object.metadata : {};
  const orderedMetadata: JsonObject = {};
  for (const key of METADATA_ORDER)
    if (metadata[key] !== undefined) orderedMetadata[key] = metadata[key];
  for (const [key, value] of Object.entries(metadata))
    if (!(key in orderedMetadata)) orderedMetadata[key] = value;
  const { kind, apiVersion, metadata: _metadata, status, ...rest } = object;
  const ordered: JsonObject = {};
  if (kind !== undefined) ordered.kind = kind;
  if (apiVersion !== undefined) ordered.apiVersion = apiVersion;
  ordered.metadata = orderedMetadata;
  Object.assign(ordered, rest);
  if (status !== undefined) ordered.status = status;
  return ordered;
}
