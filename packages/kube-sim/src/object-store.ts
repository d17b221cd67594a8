import type { JsonObject } from './json.ts';
import type { ResourceType } from './resource-types.ts';

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreChange {
  type: ChangeType;
  resourceType: ResourceType;
  object: JsonObject;
}

/** Where an object lives: its group/resource (all versions share storage), namespace and name. */
export interface ObjectKey {
  group: string;
  resource: string;
  namespace: string;
  name: string;
}

function bucketOf(key: Pick<ObjectKey, 'group' | 'resource'>): string {
  return `${key.group}/${key.resource}`;
}

function entryOf(namespace: string, name: string): string {
  return namespace === '' ? name : `${namespace}/${name}`;
}

/**
 * One cluster's objects, in memory, with the cluster-wide resourceVersion counter etcd would
 * keep. Stored objects are never mutated in place: writes replace them, so a reader can hand
 * them out without copying.
 */
export class ObjectStore {
  private revision = 1;
  private readonly buckets = new Map<string, Map<string, JsonObject>>();
  private readonly listeners = new Set<(change: StoreChange) => void>();

  currentRevision(): string {
    return String(this.revision);
  }

  nextRevision(): string {
    this.revision += 1;
    return String(this.revision);
  }

  get(key: ObjectKey): JsonObject | undefined {
    return this.buckets.get(bucketOf(key))?.get(entryOf(key.namespace, key.name));
  }

  /** Objects of a resource in etcd key order, in one namespace or (namespace '') all. */
  list(type: Pick<ObjectKey, 'group' | 'resource'>, namespace = ''): JsonObject[] {
    const bucket = this.buckets.get(bucketOf(type));
    if (!bucket) return [];
    const prefix = namespace === '' ? '' : `${namespace}/`;
    return [...bucket.entries()]
      .filter(([entry]) => entry.startsWith(prefix))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, object]) => object);
  }

  put(resourceType: ResourceType, key: ObjectKey, object: JsonObject): void {
    const bucketKey = bucketOf(key);
    let bucket = this.buckets.get(bucketKey);
    if (!bucket) {
      bucket = new Map();
      this.buckets.set(bucketKey, bucket);
    }
    const entry = entryOf(key.namespace, key.name);
    const type: ChangeType = bucket.has(entry) ? 'MODIFIED' : 'ADDED';
    bucket.set(entry, object);
    this.emit({ type, resourceType, object });
  }

  remove(resourceType: ResourceType, key: ObjectKey): void {
    const bucket = this.buckets.get(bucketOf(key));
    const entry = entryOf(key.namespace, key.name);
    const object = bucket?.get(entry);
    if (!bucket || !object) return;
    bucket.delete(entry);
    if (bucket.size === 0) this.buckets.delete(bucketOf(key));
    this.emit({ type: 'DELETED', resourceType, object });
  }

  /** Every stored object with the group/resource it is stored under. */
  *entries(): Generator<{ group: string; resource: string; object: JsonObject }> {
    for (const [bucketKey, bucket] of this.buckets) {
      const slash = bucketKey.indexOf('/');
      const group = bucketKey.slice(0, slash);
      const resource = bucketKey.slice(slash + 1);
      for (const object of bucket.values()) yield { group, resource, object };
    }
  }

  count(): number {
    let total = 0;
    for (const bucket of this.buckets.values()) total += bucket.size;
    return total;
  }

  onChange(listener: (change: StoreChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(change: StoreChange): void {
    for (const listener of this.listeners) listener(change);
  }
}
