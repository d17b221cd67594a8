import { isObject, type JsonValue } from './json.ts';

/**
 * What server-side apply, strategic merge patch and defaulting need to know about a kind:
 * which lists are associative (and by which keys), which objects are maps rather than structs,
 * and which values are atomic. This is a small hand-written subset of the OpenAPI models the
 * real server derives from Go types; anything not described here behaves like a struct with
 * atomic lists, which is what most built-in fields are.
 */
export type TypeSchema =
  | { type: 'scalar' }
  /** A leaf whatever its shape: atomic structs (LabelSelector) and atomic lists. */
  | { type: 'atomic' }
  /** Unknown content of a built-in kind: objects are structs, lists atomic. */
  | { type: 'generic' }
  /** x-kubernetes-preserve-unknown-fields: objects are maps, lists atomic. */
  | { type: 'deduced' }
  | ObjectSchema
  | ListSchema;

export interface ObjectSchema {
  type: 'object';
  fields: Record<string, TypeSchema>;
  /** Schema of keys not in `fields`; none means such keys are not declared. */
  rest?: TypeSchema;
  /** Map elements (not struct fields) are members of field sets themselves. */
  isMap: boolean;
}

export interface ListSchema {
  type: 'list';
  listType: 'set' | 'map';
  keys: string[];
  /** Key values the OpenAPI schema defaults (v1.20 knows only container port protocol). */
  keyDefaults: Record<string, JsonValue>;
  item: TypeSchema;
  /** patchMergeKey for strategic merge patch; sets merge by value. */
  mergeKey?: string;
}

export const SCALAR: TypeSchema = { type: 'scalar' };
export const ATOMIC: TypeSchema = { type: 'atomic' };
export const GENERIC: TypeSchema = { type: 'generic' };
export const DEDUCED: TypeSchema = { type: 'deduced' };

export function struct(fields: Record<string, TypeSchema> = {}): ObjectSchema {
  return { type: 'object', fields, rest: GENERIC, isMap: false };
}

export function mapOf(values: TypeSchema): ObjectSchema {
  return { type: 'object', fields: {}, rest: values, isMap: true };
}

export function listMap(
  keys: string[],
  item: TypeSchema,
  {
    keyDefaults = {},
    mergeKey = keys[0],
  }: { keyDefaults?: Record<string, JsonValue>; mergeKey?: string } = {},
): ListSchema {
  return { type: 'list', listType: 'map', keys, keyDefaults, item, mergeKey };
}

export function setOf(): ListSchema {
  return { type: 'list', listType: 'set', keys: [], keyDefaults: {}, item: SCALAR };
}

/** The schema of a child: a declared field, the rest schema, or undefined when undeclared. */
export function fieldSchema(schema: ObjectSchema, key: string): TypeSchema | undefined {
  return schema.fields[key] ?? schema.rest;
}

/** Resolves the loose schemas (generic, deduced) against the value they describe. */
export function resolveSchema(schema: TypeSchema, value: JsonValue | undefined): TypeSchema {
  if (schema.type !== 'generic' && schema.type !== 'deduced') return schema;
  if (isObject(value)) {
    return schema.type === 'generic'
      ? { type: 'object', fields: {}, rest: GENERIC, isMap: false }
      : { type: 'object', fields: {}, rest: DEDUCED, isMap: true };
  }
  return Array.isArray(value) ? ATOMIC : SCALAR;
}

/** Converts a CRD's structural openAPIV3Schema into a TypeSchema. */
export function fromOpenApi(openApi: JsonValue | undefined): TypeSchema {
  if (!isObject(openApi)) return DEDUCED;
  if (openApi['x-kubernetes-int-or-string'] === true) return SCALAR;
  const preservesUnknown = openApi['x-kubernetes-preserve-unknown-fields'] === true;
  if (openApi.type === 'array') {
    const item = fromOpenApi(openApi.items);
    if (openApi['x-kubernetes-list-type'] === 'set') return { ...setOf(), item };
    if (openApi['x-kubernetes-list-type'] === 'map') {
      const keys = Array.isArray(openApi['x-kubernetes-list-map-keys'])
        ? openApi['x-kubernetes-list-map-keys'].filter(
            (key): key is string => typeof key === 'string',
          )
        : [];
      return listMap(keys, item);
    }
    return ATOMIC;
  }
  if (openApi.type === 'object' || isObject(openApi.properties)) {
    if (openApi['x-kubernetes-map-type'] === 'atomic') return ATOMIC;
    const properties = isObject(openApi.properties) ? openApi.properties : undefined;
    const additional = openApi.additionalProperties;
    if (!properties && isObject(additional)) return mapOf(fromOpenApi(additional));
    if (!properties && preservesUnknown) return DEDUCED;
    const fields: Record<string, TypeSchema> = {};
    for (const [name, property] of Object.entries(properties ?? {}))
      fields[name] = fromOpenApi(property);
    const schema: ObjectSchema = { type: 'object', fields, isMap: false };
    if (preservesUnknown) schema.rest = DEDUCED;
    return schema;
  }
  return preservesUnknown ? DEDUCED : SCALAR;
}
