/** JSON values as the patch functions see them: what YAML and JSON documents parse into. */
export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'object') return 'map';
  return typeof value;
}

/** RFC 6901 pointer of a path, for messages. */
export function pointerOf(path: readonly (string | number)[]): string {
  return (
    path.map((p) => `/${String(p).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('') || '/'
  );
}

export function cloneJson<T>(value: T): T {
  return structuredClone(value);
}
