import { BUILTIN_TYPES, type ResourceType } from './resource-types.ts';
import { keyOf, nowTimestamp, type ClusterState } from './cluster-state.ts';
import { isObject, metadataOf, valueAt, type JsonObject } from './json.ts';
import { modifyObject, objectName, removeFinalizer, removeObject } from './object-writer.ts';
import type { StoreChange } from './object-store.ts';

/*
 * The controllers behind object lifecycles: CRDs become Established (and their custom
 * resources are served at once, as the real server does), deleted CRDs take their custom
 * resources with them, terminating namespaces are emptied and then removed, and the garbage
 * collector deletes dependents (ownerReferences) and honours foreground and orphan deletion.
 */

const CRD_CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';
/** Garbage collection and CRD clean-up start this long after the triggering write. */
const LIFECYCLE_DELAY_MS = 20;

function isCrd(type: ResourceType): boolean {
  return !type.isCustom && type.kind === 'CustomResourceDefinition';
}

function isEstablished(crd: JsonObject): boolean {
  const conditions = valueAt(crd, ['status', 'conditions']);
  return (
    Array.isArray(conditions) &&
    conditions.some(
      (item) => isObject(item) && item.type === 'Established' && item.status === 'True',
    )
  );
}

export class LifecycleControllers {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly cluster: ClusterState,
    private readonly namespaceDeletionDelayMs: number,
  ) {
    this.unsubscribe = cluster.store.onChange((change) => this.observe(change));
  }

  stop(): void {
    this.unsubscribe();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private later(delayMs: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, delayMs);
    timer.unref();
    this.timers.add(timer);
  }

  private observe({ type: change, resourceType: type, object }: StoreChange): void {
    const metadata = metadataOf(object);
    const isDeleting = metadata.deletionTimestamp !== undefined;
    if (isCrd(type)) this.observeCrd(object, change === 'DELETED', isDeleting);
    if (!type.isCustom && type.kind === 'Namespace' && isDeleting && change !== 'DELETED') {
      this.later(this.namespaceDeletionDelayMs, () =>
        this.finalizeNamespace(String(metadata.name)),
      );
    }
    if (change === 'DELETED') {
      this.later(LIFECYCLE_DELAY_MS, () => this.collectDependents(String(metadata.uid)));
      return;
    }
    const finalizers = Array.isArray(metadata.finalizers) ? metadata.finalizers : [];
    if (
      isDeleting &&
      (finalizers.includes('foregroundDeletion') || finalizers.includes('orphan'))
    ) {
      this.later(LIFECYCLE_DELAY_MS, () => this.finishPropagation(type, object));
    }
  }

  private observeCrd(crd: JsonObject, isDeleted: boolean, isDeleting: boolean): void {
    const name = String(metadataOf(crd).name);
    if (isDeleted) {
      this.cluster.catalog.unregisterCrd(name);
      return;
    }
    if (isDeleting) {
      this.later(LIFECYCLE_DELAY_MS, () => this.cleanUpCrd(crd));
      return;
    }
    this.cluster.catalog.registerCrd(crd);
    if (!isEstablished(crd)) this.later(0, () => this.establish(crd));
  }

  private establish(crd: JsonObject): void {
    const crdType = typeFor(this.cluster, 'apiextensions.k8s.io', 'customresourcedefinitions');
    if (!crdType) return;
    modifyObject(
      this.cluster,
      crdType,
      crd,
      (current) => {
        const names = valueAt(current, ['spec', 'names']);
        const now = nowTimestamp();
        const status = isObject(current.status) ? current.status : {};
        current.status = {
          ...status,
          conditions: [
            {
              type: 'NamesAccepted',
              status: 'True',
              lastTransitionTime: now,
              reason: 'NoConflicts',
              message: 'no conflicts found',
            },
            {
              type: 'Established',
              status: 'True',
              lastTransitionTime: now,
              reason: 'InitialNamesAccepted',
              message: 'the initial names have been accepted',
            },
          ],
          acceptedNames: isObject(names) ? names : {},
        };
      },
      'kube-apiserver',
    );
  }

  private cleanUpCrd(crd: JsonObject): void {
    const group = String(valueAt(crd, ['spec', 'group']) ?? '');
    const resource = String(valueAt(crd, ['spec', 'names', 'plural']) ?? '');
    const type = typeFor(this.cluster, group, resource);
    if (type)
      for (const object of this.cluster.store.list(type)) removeObject(this.cluster, type, object);
    const crdType = typeFor(this.cluster, 'apiextensions.k8s.io', 'customresourcedefinitions');
    if (type && this.cluster.store.list(type).length > 0) {
      this.later(LIFECYCLE_DELAY_MS * 5, () => this.cleanUpCrd(crd));
      return;
    }
    if (crdType) removeFinalizer(this.cluster, crdType, crd, CRD_CLEANUP_FINALIZER);
  }

  private finalizeNamespace(namespace: string): void {
    for (const { group, resource, object } of [...this.cluster.store.entries()]) {
      if (metadataOf(object).namespace !== namespace) continue;
      const type = typeFor(this.cluster, group, resource);
      if (type) removeObject(this.cluster, type, object);
    }
    const namespaces = typeFor(this.cluster, '', 'namespaces');
    const current = namespaces && this.cluster.store.get(keyOf(namespaces, '', namespace));
    if (!namespaces || !current) return;
    // Objects with finalizers stay until those are removed; the namespace waits for them.
    const isEmpty = [...this.cluster.store.entries()].every(
      ({ object }) => metadataOf(object).namespace !== namespace,
    );
    if (!isEmpty) {
      this.later(LIFECYCLE_DELAY_MS * 5, () => this.finalizeNamespace(namespace));
      return;
    }
    this.cluster.store.remove(namespaces, keyOf(namespaces, '', namespace));
  }

  private dependentsOf(uid: string): { type: ResourceType; object: JsonObject }[] {
    const found: { type: ResourceType; object: JsonObject }[] = [];
    for (const { group, resource, object } of this.cluster.store.entries()) {
      const owners = metadataOf(object).ownerReferences;
      if (!Array.isArray(owners) || !owners.some((owner) => isObject(owner) && owner.uid === uid))
        continue;
      const type = typeFor(this.cluster, group, resource);
      if (type) found.push({ type, object });
    }
    return found;
  }

  private collectDependents(uid: string): void {
    for (const { type, object } of this.dependentsOf(uid)) removeObject(this.cluster, type, object);
  }

  private finishPropagation(type: ResourceType, object: JsonObject): void {
    const current = this.cluster.store.get(
      keyOf(type, objectName(object).namespace, objectName(object).name),
    );
    if (!current) return;
    const uid = String(metadataOf(current).uid);
    const finalizers = metadataOf(current).finalizers;
    const dependents = this.dependentsOf(uid);
    if (Array.isArray(finalizers) && finalizers.includes('orphan')) {
      for (const dependent of dependents) {
        modifyObject(this.cluster, dependent.type, dependent.object, (copy) => {
          const metadata = metadataOf(copy);
          const owners = Array.isArray(metadata.ownerReferences) ? metadata.ownerReferences : [];
          const kept = owners.filter((owner) => !(isObject(owner) && owner.uid === uid));
          if (kept.length > 0) metadata.ownerReferences = kept;
          else delete metadata.ownerReferences;
        });
      }
      removeFinalizer(this.cluster, type, current, 'orphan');
      return;
    }
    for (const dependent of dependents)
      removeObject(this.cluster, dependent.type, dependent.object);
    if (this.dependentsOf(uid).length > 0) {
      this.later(LIFECYCLE_DELAY_MS * 5, () => this.finishPropagation(type, current));
      return;
    }
    removeFinalizer(this.cluster, type, current, 'foregroundDeletion');
  }
}

/** The served type of a stored group/resource (custom resources: any served version). */
function typeFor(cluster: ClusterState, group: string, resource: string): ResourceType | undefined {
  return (
    BUILTIN_TYPES.find((type) => type.group === group && type.resource === resource) ??
    cluster.catalog.customTypes().find((type) => type.group === group && type.resource === resource)
  );
}
