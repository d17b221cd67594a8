import generated from './generated/builtin-openapi.json' with { type: 'json' };
import { isObject, type JsonObject, type JsonValue } from './json.ts';
import {
  ATOMIC,
  DEDUCED,
  SCALAR,
  listMap,
  mapOf,
  setOf,
  struct,
  type ObjectSchema,
  type TypeSchema,
} from './type-schema.ts';

/*
 * The field tables of the built-in kinds, from the OpenAPI document of a v1.20.2
 * kube-apiserver (regenerate with scripts/generate-builtin-schemas.ts): declared fields (an
 * apply naming any other fails, as on the real server), atomic lists, sets, lists keyed by
 * x-kubernetes-list-map-keys or patchMergeKey, maps, and atomic structs (LabelSelector).
 */

type Compact = string | Compact[];

interface Definition {
  /** Declared fields, for structs. */
  f?: Record<string, Compact>;
  /** The OpenAPI type of definitions without properties (string for Quantity, Time, ...). */
  t?: string;
  /** x-kubernetes-map-type: atomic. */
  a?: number;
}

const table = generated as {
  kinds: Record<string, string>;
  definitions: Record<string, Definition>;
};
const resolved = new Map<string, TypeSchema>();

function definition(name: string): TypeSchema {
  const cached = resolved.get(name);
  if (cached) return cached;
  const found = table.definitions[name];
  if (!found) return DEDUCED;
  if (found.a) return ATOMIC;
  if (!found.f) {
    const schema = found.t === 'string' || found.t === 'integer' ? SCALAR : DEDUCED;
    resolved.set(name, schema);
    return schema;
  }
  // Registered before its fields are converted: definitions refer to themselves (JSONSchemaProps).
  const schema: ObjectSchema = { type: 'object', fields: {}, isMap: false };
  resolved.set(name, schema);
  for (const [field, type] of Object.entries(found.f)) schema.fields[field] = convert(type, name);
  return schema;
}

function convert(type: Compact, owner: string): TypeSchema {
  if (typeof type === 'string') {
    if (type.startsWith('#')) return definition(type.slice(1));
    return type === 'o' ? DEDUCED : SCALAR;
  }
  const [kind, item, keys, mergeKey] = type;
  const itemName = typeof item === 'string' ? item : '';
  const itemSchema = convert(item ?? 's', owner);
  switch (kind) {
    case 'dict':
      return mapOf(itemSchema);
    case 'set':
      return { ...setOf(), item: itemSchema };
    case 'map': {
      const keyNames = Array.isArray(keys) ? keys.map(String) : [];
      // v1.20 defaults the protocol key of container ports (not of Service ports) for apply.
      const keyDefaults: Record<string, JsonValue> =
        itemName === '#core.v1.ContainerPort' ? { protocol: 'TCP' } : {};
      return listMap(keyNames, itemSchema, {
        keyDefaults,
        mergeKey: typeof mergeKey === 'string' ? mergeKey : keyNames[0],
      });
    }
    default:
      return ATOMIC;
  }
}

const FALLBACK = struct();

/** The schema of a served built-in kind (group/version/Kind). */
export function builtinSchema(group: string, version: string, kind: string): ObjectSchema {
  const name = table.kinds[`${group}/${version}/${kind}`];
  const schema = name ? definition(name) : FALLBACK;
  return schema.type === 'object' ? schema : FALLBACK;
}

/** ObjectMeta, which custom resources share with the built-in kinds. */
export function objectMetaSchema(): TypeSchema {
  return definition('meta.v1.ObjectMeta');
}

/** Drops fields the built-in kind does not declare, as decoding into Go types does on writes. */
export function pruneUndeclared(value: JsonValue, schema: TypeSchema): JsonValue {
  if (Array.isArray(value)) {
    const item = schema.type === 'list' ? schema.item : undefined;
    return item ? value.map((element) => pruneUndeclared(element, item)) : value;
  }
  if (schema.type !== 'object' || !isObject(value)) return value;
  const out: JsonObject = {};
  for (const [key, child] of Object.entries(value)) {
    const childSchema = schema.fields[key] ?? schema.rest;
    if (childSchema) out[key] = pruneUndeclared(child, childSchema);
  }
  return out;
}
