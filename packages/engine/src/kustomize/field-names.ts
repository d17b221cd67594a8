import type { z } from 'zod';

/**
 * sigs.k8s.io/yaml turns the file into JSON (a Go map: keys in byte order, the last of
 * repeated keys kept) and encoding/json fills the struct, matching a field name exactly or
 * else case-insensitively. So `patchesJSON6902`, as kustomize's docs spell it, is
 * `patchesJson6902`, in nested structs too (`Name:` in an image); map keys (labels) are kept.
 */
export function foldFieldNames(value: unknown, schema: z.core.$ZodType): unknown {
  const def = schema._zod.def;
  if (
    def.type === 'optional' ||
    def.type === 'default' ||
    def.type === 'nullable' ||
    def.type === 'prefault'
  ) {
    return foldFieldNames(value, (def as z.core.$ZodOptionalDef).innerType);
  }
  if (def.type === 'array') {
    const element = (def as z.core.$ZodArrayDef).element;
    return Array.isArray(value) ? value.map((item) => foldFieldNames(item, element)) : value;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const entries = Object.entries(value as Record<string, unknown>);
  if (def.type === 'record') {
    const valueType = (def as z.core.$ZodRecordDef).valueType;
    return Object.fromEntries(entries.map(([key, item]) => [key, foldFieldNames(item, valueType)]));
  }
  if (def.type !== 'object') return value;
  const shape = (def as z.core.$ZodObjectDef).shape;
  const fields = Object.keys(shape);
  const folded: Record<string, unknown> = {};
  for (const [key, item] of entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const field =
      key in shape ? key : (fields.find((name) => name.toLowerCase() === key.toLowerCase()) ?? key);
    const fieldSchema = shape[field];
    folded[field] = fieldSchema ? foldFieldNames(item, fieldSchema) : item;
  }
  return folded;
}
