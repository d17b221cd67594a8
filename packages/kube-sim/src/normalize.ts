import { applySchemaDefaults, pruneUnknownFields } from './custom-resources.ts';
import { pruneUndeclared } from './builtin-schemas.ts';
import { applyDefaults, dropNulls } from './defaults.ts';
import { isObject, type JsonObject } from './json.ts';
import type { ResourceType } from './resource-types.ts';

/**
 * What decoding does to a written object before anything else sees it: built-in kinds lose
 * their nulls and get their defaults; custom resources lose unknown fields (except on apply,
 * which refuses them instead) and get their schema's defaults.
 */
export function applyPruneAndDefaults(
  type: ResourceType,
  object: JsonObject,
  { isPruned = true }: { isPruned?: boolean } = {},
): JsonObject {
  if (type.isCustom) {
    if (!type.openApi) return object;
    const pruned = isPruned ? pruneUnknownFields(object, type.openApi) : object;
    const defaulted = applySchemaDefaults(pruned, type.openApi);
    return isObject(defaulted) ? defaulted : object;
  }
  const out = dropNulls(pruneUndeclared(object, type.schema));
  if (!isObject(out)) return object;
  applyDefaults(type, out);
  return out;
}
