/** JSON values as the API server stores and returns them. */
export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function clone<T extends JsonValue>(value: T): T {
  return structuredClone(value);
}

export function deepEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((key) => key in b && deepEqual(a[key], b[key]));
  }
  return false;
}

/** The object at `path`, created on the way when missing (or replaced when not an object). */
export function objectAt(root: JsonObject, path: readonly string[]): JsonObject {
  let node = root;
  for (const key of path) {
    const next = node[key];
    if (isObject(next)) {
      node = next;
    } else {
      const created: JsonObject = {};
      node[key] = created;
      node = created;
    }
  }
  return node;
}

export function valueAt(
  root: JsonValue | undefined,
  path: readonly string[],
): JsonValue | undefined {
  let node = root;
  for (const key of path) {
    if (!isObject(node)) return undefined;
    node = node[key];
  }
  return node;
}

export function stringAt(root: JsonValue | undefined, path: readonly string[]): string | undefined {
  const value = valueAt(root, path);
  return typeof value === 'string' ? value : undefined;
}

/** An object's metadata, or an empty object when it has none (never created on the way). */
export function metadataOf(object: JsonObject): JsonObject {
  return isObject(object.metadata) ? object.metadata : {};
}

/** Sets `key` only when absent, as Kubernetes defaulting does. */
export function setDefault(object: JsonObject, key: string, value: JsonValue): void {
  if (object[key] === undefined || object[key] === null) object[key] = value;
}
