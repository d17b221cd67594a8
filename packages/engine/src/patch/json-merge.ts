import { cloneJson, isJsonObject, type JsonValue } from './json-value.ts';

/**
 * RFC 7396 JSON merge patch: objects merge recursively, null removes a member, anything else
 * (lists included) replaces the target's value. Inputs are not modified.
 */
export function jsonMergePatch<T>(target: T, patch: unknown): T {
  return mergeValue(cloneJson(target) as JsonValue, patch as JsonValue) as T;
}

function mergeValue(target: JsonValue | undefined, patch: JsonValue): JsonValue {
  if (!isJsonObject(patch)) return cloneJson(patch);
  const result = isJsonObject(target) ? target : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergeValue(result[key], value);
  }
  return result;
}
