import { keyOf, nowTimestamp, type ClusterState } from './cluster-state.ts';
import { decodeManagedFields, encodeManagedFields, trackUpdate } from './field-manager.ts';
import { deepEqual, metadataOf, type JsonObject } from './json.ts';
import { groupVersionOf, type ResourceType } from './resource-types.ts';
import { orderObject } from './write-support.ts';

/** How the simulated controllers write: as `kube-controller-manager`, with field tracking. */
export const CONTROLLER_MANAGER = 'kube-controller-manager';

export function objectName(object: JsonObject): { namespace: string; name: string } {
  const metadata = metadataOf(object);
  return { namespace: String(metadata.namespace ?? ''), name: String(metadata.name ?? '') };
}

/**
 * Re-reads an object, changes a copy and stores it (managedFields and resourceVersion kept
 * right). Returns false when the object is gone or nothing changed.
 */
export function modifyObject(
  cluster: ClusterState,
  type: ResourceType,
  object: JsonObject,
  change: (copy: JsonObject) => void,
  manager = CONTROLLER_MANAGER,
): boolean {
  const { namespace, name } = objectName(object);
  const key = keyOf(type, namespace, name);
  const current = cluster.store.get(key);
  if (!current) return false;
  const next = structuredClone(current);
  change(next);
  const strip = (value: JsonObject): JsonObject => {
    const metadata = { ...metadataOf(value) };
    delete metadata.managedFields;
    return { ...value, metadata };
  };
  const managers = trackUpdate(
    strip(current),
    strip(next),
    decodeManagedFields(metadataOf(current).managedFields),
    manager,
    {
      schema: type.schema,
      apiVersion: groupVersionOf(type),
      now: nowTimestamp(),
    },
  );
  const metadata = metadataOf(next);
  const encoded = encodeManagedFields(managers);
  if (encoded.length > 0) metadata.managedFields = encoded;
  else delete metadata.managedFields;
  if (deepEqual(next, current)) return false;
  const finalizers = metadata.finalizers;
  metadata.resourceVersion = cluster.store.nextRevision();
  if (
    metadata.deletionTimestamp !== undefined &&
    (!Array.isArray(finalizers) || finalizers.length === 0)
  ) {
    cluster.store.remove(type, key);
    return true;
  }
  cluster.store.put(type, key, orderObject(next));
  return true;
}

/** Deletes an object as the garbage collector would: at once, or marked when it has finalizers. */
export function removeObject(cluster: ClusterState, type: ResourceType, object: JsonObject): void {
  const metadata = metadataOf(object);
  const finalizers = Array.isArray(metadata.finalizers) ? metadata.finalizers : [];
  if (finalizers.length === 0) {
    const { namespace, name } = objectName(object);
    cluster.store.remove(type, keyOf(type, namespace, name));
    return;
  }
  if (metadata.deletionTimestamp !== undefined) return;
  modifyObject(cluster, type, object, (copy) => {
    const copyMetadata = metadataOf(copy);
    copyMetadata.deletionTimestamp = nowTimestamp();
    copyMetadata.deletionGracePeriodSeconds = 0;
  });
}

export function removeFinalizer(
  cluster: ClusterState,
  type: ResourceType,
  object: JsonObject,
  finalizer: string,
): void {
  modifyObject(cluster, type, object, (copy) => {
    const metadata = metadataOf(copy);
    const remaining = (Array.isArray(metadata.finalizers) ? metadata.finalizers : []).filter(
      (item) => item !== finalizer,
    );
    if (remaining.length > 0) metadata.finalizers = remaining;
    else delete metadata.finalizers;
  });
}
