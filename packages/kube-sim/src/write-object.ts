import { randomUUID } from 'node:crypto';
import { alreadyExists, invalid, notFound, updateConflict } from './api-error.ts';
import { keyOf, type ClusterState } from './cluster-state.ts';
import { validateAgainstSchema } from './custom-resources.ts';
import { initialStatus, prepareForWrite, zeroObject } from './defaults.ts';
import {
  decodeManagedFields,
  encodeManagedFields,
  trackUpdate,
  type Managers,
} from './field-manager.ts';
import { deepEqual, isObject, objectAt, type JsonObject, type JsonValue } from './json.ts';
import { applyPruneAndDefaults } from './normalize.ts';
import { groupVersionOf } from './resource-types.ts';
import { validateObject } from './validation.ts';
import {
  checkIdentity,
  isSpecChanged,
  metadataString,
  orderObject,
  randomSuffix,
  requireLiveNamespace,
  requireObjectBody,
  setIdentity,
  withoutManagedFields,
  type WriteOptions,
  type WriteResult,
  type WriteTarget,
} from './write-support.ts';

/**
 * Creates, updates and patches (including server-side apply), in the order the real server
 * runs them: decode and default, track field ownership, apply the strategy (server-owned
 * metadata, status subresource, generation), validate, then store unless it is a dry run or
 * nothing changed.
 */

interface Commit {
  cluster: ClusterState;
  target: WriteTarget;
  previous: JsonObject | undefined;
  object: JsonObject;
  managers: Managers;
  options: WriteOptions;
  uid: string;
}

export function commit({
  cluster,
  target,
  previous,
  object: candidate,
  managers,
  options,
  uid,
}: Commit): WriteResult {
  const { type } = target;
  let object = candidate;
  if (previous && target.subresource === 'status') {
    // The status endpoint changes status only; the rest is kept from the stored object.
    object = { ...previous, metadata: { ...(previous.metadata as JsonObject) } };
    if (candidate.status !== undefined) object.status = candidate.status;
    else delete object.status;
  }
  const metadata = objectAt(object, ['metadata']);
  if (!type.isCustom) {
    prepareForWrite(type, object, previous, {
      uid,
      name: String(metadata.name ?? ''),
      isDryRun: options.isDryRun,
      allocateClusterIp: () => cluster.allocateClusterIp(),
      allocateNodePort: () => cluster.allocateNodePort(),
    });
  }
  if (!previous) {
    metadata.uid = uid;
    metadata.creationTimestamp = options.now;
    for (const field of [
      'resourceVersion',
      'deletionTimestamp',
      'deletionGracePeriodSeconds',
      'generation',
      'selfLink',
    ]) {
      delete metadata[field];
    }
    if (type.hasGeneration) metadata.generation = 1;
    if (type.hasStatus) {
      const status = initialStatus(type, object);
      if (status === undefined) delete object.status;
      else object.status = status;
    }
  } else {
    const before = previous.metadata as JsonObject;
    for (const field of [
      'uid',
      'creationTimestamp',
      'generation',
      'deletionTimestamp',
      'deletionGracePeriodSeconds',
      'resourceVersion',
    ]) {
      if (before[field] === undefined) delete metadata[field];
      else metadata[field] = before[field];
    }
    if (type.hasStatus && target.subresource !== 'status') {
      if (previous.status === undefined) delete object.status;
      else object.status = previous.status;
    }
    if (type.hasGeneration && isSpecChanged(previous, object, type)) {
      metadata.generation = (typeof before.generation === 'number' ? before.generation : 0) + 1;
    }
  }
  const encoded = encodeManagedFields(managers);
  if (encoded.length > 0) metadata.managedFields = encoded;
  else delete metadata.managedFields;

  const causes = [
    ...validateObject(type, object, previous),
    ...(type.isCustom && type.openApi ? validateAgainstSchema(object, type.openApi) : []),
  ];
  if (causes.length > 0) throw invalid(type, String(metadata.name ?? ''), causes);

  const key = keyOf(type, target.namespace, String(metadata.name));
  if (!previous && cluster.store.get(key)) throw alreadyExists(type, String(metadata.name));
  if (previous && deepEqual(object, previous)) return { code: 200, object: previous };
  if (options.isDryRun) return { code: previous ? 200 : 201, object: orderObject(object) };

  const finalizers = metadata.finalizers;
  const isReleased =
    metadata.deletionTimestamp !== undefined &&
    (!Array.isArray(finalizers) || finalizers.length === 0);
  metadata.resourceVersion = cluster.store.nextRevision();
  const ordered = orderObject(object);
  if (previous && isReleased) {
    // The last finalizer is gone: the object is deleted now.
    cluster.store.remove(type, key);
    return { code: 200, object: ordered };
  }
  cluster.store.put(type, key, ordered);
  return { code: previous ? 200 : 201, object: ordered };
}

export function createObject(
  cluster: ClusterState,
  target: WriteTarget,
  body: JsonValue,
  options: WriteOptions,
): WriteResult {
  const requestBody = requireObjectBody(body);
  const object = structuredClone(requestBody);
  checkIdentity(target, object);
  const generateName = metadataString(object, 'generateName');
  let name = metadataString(object, 'name') ?? '';
  if (name === '' && generateName) name = `${generateName}${randomSuffix()}`;
  if (name !== '') requireLiveNamespace(cluster, target, name);
  setIdentity(target, object, name);
  const uid = randomUUID();
  const normalized = applyPruneAndDefaults(target.type, object);
  const requested = decodeManagedFields(
    isObject(requestBody.metadata) ? requestBody.metadata.managedFields : undefined,
  );
  const managers = trackUpdate(
    zeroObject(target.type),
    withoutManagedFields(normalized),
    requested,
    options.manager,
    {
      schema: target.type.schema,
      apiVersion: groupVersionOf(target.type),
      now: options.now,
    },
  );
  return commit({
    cluster,
    target,
    previous: undefined,
    object: normalized,
    managers,
    options,
    uid,
  });
}

export function existing(cluster: ClusterState, target: WriteTarget): JsonObject | undefined {
  return cluster.store.get(keyOf(target.type, target.namespace, target.name));
}

/** An update (PUT) or a non-apply patch once the patched object is known. */
export function updateObject(
  cluster: ClusterState,
  target: WriteTarget,
  previous: JsonObject,
  body: JsonObject,
  options: WriteOptions,
): WriteResult {
  const object = structuredClone(body);
  checkIdentity(target, object);
  const requestedVersion = metadataString(object, 'resourceVersion');
  if (
    requestedVersion !== undefined &&
    requestedVersion !== '' &&
    requestedVersion !== metadataString(previous, 'resourceVersion')
  ) {
    throw updateConflict(target.type, target.name);
  }
  setIdentity(target, object, target.name);
  const uid = metadataString(previous, 'uid') ?? '';
  const normalized = applyPruneAndDefaults(target.type, object);
  const requested = decodeManagedFields(
    isObject(body.metadata) ? body.metadata.managedFields : undefined,
  );
  const start =
    requested.size > 0
      ? requested
      : decodeManagedFields((previous.metadata as JsonObject).managedFields);
  const managers = trackUpdate(
    withoutManagedFields(previous),
    withoutManagedFields(normalized),
    start,
    options.manager,
    {
      schema: target.type.schema,
      apiVersion: groupVersionOf(target.type),
      now: options.now,
    },
  );
  return commit({ cluster, target, previous, object: normalized, managers, options, uid });
}

export function replaceObject(
  cluster: ClusterState,
  target: WriteTarget,
  body: JsonValue,
  options: WriteOptions,
): WriteResult {
  const object = requireObjectBody(body);
  checkIdentity(target, object);
  const previous = existing(cluster, target);
  if (!previous) throw notFound(target.type, target.name);
  return updateObject(cluster, target, previous, object, options);
}
