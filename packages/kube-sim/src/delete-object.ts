import { ApiError, notFound } from './api-error.ts';
import { keyOf, type ClusterState } from './cluster-state.ts';
import { isObject, metadataOf, type JsonObject, type JsonValue } from './json.ts';
import { groupVersionOf, type ResourceType } from './resource-types.ts';
import { selectObjects } from './read-objects.ts';
import { orderObject } from './write-support.ts';

export interface DeleteOptions {
  isDryRun: boolean;
  now: string;
  propagationPolicy?: string;
  preconditions?: { uid?: string; resourceVersion?: string };
}

export interface DeleteResult {
  code: number;
  body: JsonObject;
}

/** DeleteOptions from the query string and the (optional) JSON body, the body winning. */
export function deleteOptionsFrom(
  query: URLSearchParams,
  body: JsonValue | undefined,
  now: string,
): DeleteOptions {
  const fromBody = isObject(body) ? body : {};
  const preconditions = isObject(fromBody.preconditions) ? fromBody.preconditions : {};
  const dryRun = Array.isArray(fromBody.dryRun) ? fromBody.dryRun : query.getAll('dryRun');
  let propagationPolicy =
    typeof fromBody.propagationPolicy === 'string'
      ? fromBody.propagationPolicy
      : (query.get('propagationPolicy') ?? undefined);
  const orphan = fromBody.orphanDependents ?? query.get('orphanDependents');
  if (propagationPolicy === undefined && (orphan === true || orphan === 'true'))
    propagationPolicy = 'Orphan';
  return {
    isDryRun: dryRun.includes('All'),
    now,
    propagationPolicy,
    preconditions: {
      uid: typeof preconditions.uid === 'string' ? preconditions.uid : undefined,
      resourceVersion:
        typeof preconditions.resourceVersion === 'string'
          ? preconditions.resourceVersion
          : undefined,
    },
  };
}

function checkPreconditions(type: ResourceType, object: JsonObject, options: DeleteOptions): void {
  const metadata = metadataOf(object);
  const { uid, resourceVersion } = options.preconditions ?? {};
  const fail = (field: string, expected: string, actual: unknown) =>
    new ApiError(
      409,
      'Conflict',
      `Precondition failed: ${field} in precondition: ${expected}, ${field} in object meta: ${String(actual)}`,
      {
        name: String(metadata.name),
        ...(type.group === '' ? {} : { group: type.group }),
        kind: type.resource,
      },
    );
  if (uid !== undefined && uid !== metadata.uid) throw fail('UID', uid, metadata.uid);
  if (resourceVersion !== undefined && resourceVersion !== metadata.resourceVersion) {
    throw fail('ResourceVersion', resourceVersion, metadata.resourceVersion);
  }
}

function success(type: ResourceType, object: JsonObject): JsonObject {
  const metadata = metadataOf(object);
  const details: JsonObject = { name: String(metadata.name) };
  if (type.group !== '') details.group = type.group;
  details.kind = type.resource;
  details.uid = String(metadata.uid);
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details };
}

/** Marks an object as being deleted (finalizers pending); returns the marked object. */
function markDeleted(
  cluster: ClusterState,
  type: ResourceType,
  object: JsonObject,
  finalizers: JsonValue[],
  options: DeleteOptions,
): JsonObject {
  const isCrd = type.kind === 'CustomResourceDefinition' && !type.isCustom;
  const isNamespace = type.kind === 'Namespace' && !type.isCustom;
  // The apiextensions finalizer keeps the CRD until its custom resources are gone.
  const allFinalizers = isCrd
    ? [...new Set([...finalizers, 'customresourcecleanup.apiextensions.k8s.io'])]
    : finalizers;
  const metadata: JsonObject = { ...metadataOf(object) };
  if (allFinalizers.length > 0) metadata.finalizers = allFinalizers;
  if (metadata.deletionTimestamp === undefined) {
    metadata.deletionTimestamp = options.now;
    if (!isNamespace) metadata.deletionGracePeriodSeconds = 0;
  }
  const marked = orderObject({
    ...object,
    metadata,
    ...(isNamespace ? { status: { phase: 'Terminating' } } : {}),
  });
  if (options.isDryRun) return marked;
  (marked.metadata as JsonObject).resourceVersion = cluster.store.nextRevision();
  cluster.store.put(
    type,
    keyOf(type, String(metadata.namespace ?? ''), String(metadata.name)),
    marked,
  );
  return marked;
}

function deleteOne(
  cluster: ClusterState,
  type: ResourceType,
  object: JsonObject,
  options: DeleteOptions,
): DeleteResult {
  checkPreconditions(type, object, options);
  const metadata = metadataOf(object);
  const finalizers = Array.isArray(metadata.finalizers) ? [...metadata.finalizers] : [];
  const isBeingDeleted = metadata.deletionTimestamp !== undefined;
  const isNamespace = type.kind === 'Namespace' && !type.isCustom;
  // Deleting a terminating namespace again answers with it, unchanged.
  if (isNamespace && isBeingDeleted) return { code: 200, body: object };
  if (isNamespace || (type.kind === 'CustomResourceDefinition' && !type.isCustom)) {
    return { code: 200, body: markDeleted(cluster, type, object, finalizers, options) };
  }
  if (options.propagationPolicy === 'Foreground' && !finalizers.includes('foregroundDeletion')) {
    finalizers.push('foregroundDeletion');
  }
  if (options.propagationPolicy === 'Orphan' && !finalizers.includes('orphan'))
    finalizers.push('orphan');
  if (finalizers.length > 0) {
    if (
      isBeingDeleted &&
      finalizers.length === (Array.isArray(metadata.finalizers) ? metadata.finalizers.length : 0)
    ) {
      return { code: 200, body: object };
    }
    return { code: 200, body: markDeleted(cluster, type, object, finalizers, options) };
  }
  if (!options.isDryRun)
    cluster.store.remove(
      type,
      keyOf(type, String(metadata.namespace ?? ''), String(metadata.name)),
    );
  return { code: 200, body: success(type, object) };
}

export function deleteObject(
  cluster: ClusterState,
  type: ResourceType,
  namespace: string,
  name: string,
  options: DeleteOptions,
): DeleteResult {
  const object = cluster.store.get(keyOf(type, namespace, name));
  if (!object) throw notFound(type, name);
  return deleteOne(cluster, type, object, options);
}

export function deleteCollection(
  cluster: ClusterState,
  type: ResourceType,
  namespace: string,
  query: URLSearchParams,
  options: DeleteOptions,
): JsonObject {
  const items = selectObjects(cluster, type, namespace, query).map((object) => {
    const result = deleteOne(cluster, type, object, options);
    return result.body.kind === 'Status' ? object : result.body;
  });
  return {
    kind: type.listKind,
    apiVersion: groupVersionOf(type),
    metadata: { resourceVersion: cluster.store.currentRevision() },
    items,
  };
}
