import type { FieldCause } from './api-error.ts';
import { clone, isObject, type JsonObject, type JsonValue } from './json.ts';

/*
 * Custom resources against their CRD's structural schema, as v1.20 does on every write:
 * unknown fields are pruned, `default`s are filled in, and types, required fields and enums
 * are validated (with the apiextensions validator's messages).
 */

type Schema = JsonObject;

function properties(schema: Schema): JsonObject | undefined {
  return isObject(schema.properties) ? schema.properties : undefined;
}

function keepsUnknown(schema: Schema): boolean {
  return schema['x-kubernetes-preserve-unknown-fields'] === true;
}

/** Removes fields the schema does not know about (metadata and type fields are the server's). */
export function pruneUnknownFields(value: JsonValue, schema: Schema, isRoot = true): JsonValue {
  if (Array.isArray(value)) {
    return isObject(schema.items)
      ? value.map((item) => pruneUnknownFields(item, schema.items as Schema, false))
      : value;
  }
  if (!isObject(value)) return value;
  const known = properties(schema);
  const additional = isObject(schema.additionalProperties)
    ? schema.additionalProperties
    : undefined;
  const out: JsonObject = {};
  for (const [key, child] of Object.entries(value)) {
    if (isRoot && (key === 'apiVersion' || key === 'kind' || key === 'metadata')) {
      out[key] = child;
    } else if (known && isObject(known[key])) {
      out[key] = pruneUnknownFields(child, known[key], false);
    } else if (additional) {
      out[key] = pruneUnknownFields(child, additional, false);
    } else if (keepsUnknown(schema) || schema['x-kubernetes-embedded-resource'] === true) {
      out[key] = child;
    }
  }
  return out;
}

/** Fills in `default` values of absent properties, recursively. */
export function applySchemaDefaults(value: JsonValue, schema: Schema): JsonValue {
  if (Array.isArray(value)) {
    return isObject(schema.items)
      ? value.map((item) => applySchemaDefaults(item, schema.items as Schema))
      : value;
  }
  if (!isObject(value)) return value;
  const known = properties(schema);
  if (!known) return value;
  const out: JsonObject = { ...value };
  for (const [key, property] of Object.entries(known)) {
    if (!isObject(property)) continue;
    if (out[key] === undefined && property.default !== undefined)
      out[key] = clone(property.default);
    const child = out[key];
    if (child !== undefined) out[key] = applySchemaDefaults(child, property);
  }
  return out;
}

function typeName(value: JsonValue): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value === 'object' ? 'object' : typeof value;
}

function hasType(value: JsonValue, expected: string): boolean {
  const actual = typeName(value);
  return actual === expected || (expected === 'number' && actual === 'integer');
}

/** Validates a custom resource against its schema; returns the field errors. */
export function validateAgainstSchema(value: JsonValue, schema: Schema, path = ''): FieldCause[] {
  const causes: FieldCause[] = [];
  const at = (child: string) => (path === '' ? child : `${path}.${child}`);
  if (value === null && schema.nullable === true) return causes;
  const expected = typeof schema.type === 'string' ? schema.type : undefined;
  const isIntOrString = schema['x-kubernetes-int-or-string'] === true;
  if (
    isIntOrString &&
    typeof value !== 'string' &&
    !(typeof value === 'number' && Number.isInteger(value))
  ) {
    causes.push({
      reason: 'FieldValueInvalid',
      field: path,
      message: `Invalid value: "${typeName(value)}": ${path} in body must be of type integer,string: "${typeName(value)}"`,
    });
    return causes;
  }
  if (expected && !isIntOrString && !hasType(value, expected)) {
    causes.push({
      reason: 'FieldValueInvalid',
      field: path,
      message: `Invalid value: "${typeName(value)}": ${path} in body must be of type ${expected}: "${typeName(value)}"`,
    });
    return causes;
  }
  if (
    Array.isArray(schema.enum) &&
    !schema.enum.some((option) => JSON.stringify(option) === JSON.stringify(value))
  ) {
    causes.push({
      reason: 'FieldValueNotSupported',
      field: path,
      message: `Unsupported value: ${JSON.stringify(value)}: supported values: ${schema.enum.map((option) => JSON.stringify(option)).join(', ')}`,
    });
  }
  if (Array.isArray(value) && isObject(schema.items)) {
    value.forEach((item, index) =>
      causes.push(...validateAgainstSchema(item, schema.items as Schema, `${path}[${index}]`)),
    );
  }
  if (isObject(value)) {
    const known = properties(schema) ?? {};
    for (const name of Array.isArray(schema.required) ? schema.required : []) {
      if (typeof name === 'string' && value[name] === undefined) {
        causes.push({ reason: 'FieldValueRequired', field: at(name), message: 'Required value' });
      }
    }
    for (const [key, child] of Object.entries(value)) {
      if (path === '' && (key === 'metadata' || key === 'apiVersion' || key === 'kind')) continue;
      const property =
        known[key] ??
        (isObject(schema.additionalProperties) ? schema.additionalProperties : undefined);
      if (isObject(property)) causes.push(...validateAgainstSchema(child, property, at(key)));
    }
  }
  return causes;
}
