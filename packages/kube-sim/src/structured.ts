import { typedPatchFailure } from './api-error.ts';
import { FieldSet, fieldElement, keyElement, pathToString, valueElement } from './field-set.ts';
import { deepEqual, isObject, type JsonObject, type JsonValue } from './json.ts';
import {
  GENERIC,
  fieldSchema,
  resolveSchema,
  type ListSchema,
  type ObjectSchema,
  type TypeSchema,
} from './type-schema.ts';

/*
 * The four operations of structured-merge-diff that server-side apply is built from, on plain
 * JSON: the field set of a value, the comparison of two values, the merge of an applied
 * configuration into a live object, and the removal of items. Their corner cases (when a
 * container counts as a leaf, when a parent is a member of a set, when a removal leaves a
 * `null`) follow sigs.k8s.io/structured-merge-diff v4.0.2, the version in Kubernetes 1.20.
 */

/** The path element of one item of an associative list. */
export function listItemElement(
  schema: ListSchema,
  item: JsonValue,
  index: number,
  path: readonly string[],
): string {
  const where = `${pathToString(path)}: element ${index}`;
  if (schema.listType === 'set') {
    if (isObject(item) || Array.isArray(item) || item === null) {
      throw typedPatchFailure(
        `${where}: associative list without keys has an element that's a map type`,
      );
    }
    return valueElement(item);
  }
  if (!isObject(item)) {
    throw typedPatchFailure(`${where}: associative list with keys may not have non-map elements`);
  }
  const keys: Record<string, JsonValue> = {};
  for (const key of schema.keys) {
    const value = item[key] ?? schema.keyDefaults[key];
    if (value === undefined) {
      throw typedPatchFailure(
        `${where}: associative list with keys has an element that omits key field "${key}" (and doesn't have default value)`,
      );
    }
    keys[key] = value;
  }
  return keyElement(keys);
}

/** Whether a child of an object is a member of field sets by itself (map elements are). */
function isElementMember(schema: ObjectSchema, key: string): boolean {
  return schema.isMap || (!(key in schema.fields) && schema.rest?.type === 'deduced');
}

function childSchema(schema: ObjectSchema, key: string): TypeSchema {
  return fieldSchema(schema, key) ?? GENERIC;
}

export interface FieldSetOptions {
  /** Applied configurations may not carry fields the schema does not declare. */
  isStrict?: boolean;
}

export function toFieldSet(
  value: JsonValue,
  schema: TypeSchema,
  options: FieldSetOptions = {},
): FieldSet {
  const set = new FieldSet();
  const walk = (node: JsonValue, nodeSchema: TypeSchema, path: string[]): void => {
    const resolved = resolveSchema(nodeSchema, node);
    if (resolved.type === 'list') {
      if (!Array.isArray(node)) return;
      node.forEach((item, index) => {
        const itemPath = [...path, listItemElement(resolved, item, index, path)];
        walk(item, resolved.item, itemPath);
        set.insert(itemPath);
      });
      return;
    }
    if (resolved.type === 'object') {
      if (!isObject(node)) return;
      for (const [key, child] of Object.entries(node)) {
        const declared = fieldSchema(resolved, key);
        const childPath = [...path, fieldElement(key)];
        if (!declared) {
          if (options.isStrict)
            throw typedPatchFailure(`${pathToString(childPath)}: field not declared in schema`);
          continue;
        }
        walk(child, declared, childPath);
        if (isElementMember(resolved, key)) set.insert(childPath);
      }
      return;
    }
    set.insert(path);
  };
  walk(value, schema, []);
  return set;
}

export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

export function isSame(comparison: Comparison): boolean {
  return (
    comparison.added.isEmpty() && comparison.modified.isEmpty() && comparison.removed.isEmpty()
  );
}

function isEmptyContainer(value: JsonValue | undefined, type: 'list' | 'object'): boolean {
  if (type === 'list') return !Array.isArray(value) || value.length === 0;
  return !isObject(value) || Object.keys(value).length === 0;
}

/** Whether the merge walker treats this node as a leaf ("big leaf" or empty containers). */
function isLeaf(
  schema: TypeSchema,
  lhs: JsonValue | undefined,
  rhs: JsonValue | undefined,
): boolean {
  if (schema.type === 'list' || schema.type === 'object') {
    return isEmptyContainer(lhs, schema.type) && isEmptyContainer(rhs, schema.type);
  }
  return true;
}

/** Keyed items of a list, or undefined when the list cannot be keyed (then it is a leaf). */
function keyedItems(
  schema: ListSchema,
  list: JsonValue | undefined,
  path: string[],
): Map<string, JsonValue> | undefined {
  const items = new Map<string, JsonValue>();
  if (!Array.isArray(list)) return items;
  try {
    list.forEach((item, index) => items.set(listItemElement(schema, item, index, path), item));
  } catch {
    return undefined;
  }
  return items;
}

export function compare(lhs: JsonValue, rhs: JsonValue, schema: TypeSchema): Comparison {
  const comparison: Comparison = {
    added: new FieldSet(),
    modified: new FieldSet(),
    removed: new FieldSet(),
  };
  const leafRule = (left: JsonValue | undefined, right: JsonValue | undefined, path: string[]) => {
    if (left === undefined) comparison.added.insert(path);
    else if (right === undefined) comparison.removed.insert(path);
    else if (!deepEqual(left, right)) comparison.modified.insert(path);
  };
  const walk = (
    left: JsonValue | undefined,
    right: JsonValue | undefined,
    nodeSchema: TypeSchema,
    path: string[],
  ) => {
    const resolved = resolveSchema(nodeSchema, right ?? left);
    if (isLeaf(resolved, left, right)) return leafRule(left, right, path);
    if (resolved.type === 'list') {
      const leftItems = keyedItems(resolved, left, path);
      const rightItems = keyedItems(resolved, right, path);
      if (!leftItems || !rightItems) return leafRule(left, right, path);
      for (const [element, item] of leftItems)
        walk(item, rightItems.get(element), resolved.item, [...path, element]);
      for (const [element, item] of rightItems) {
        if (!leftItems.has(element)) walk(undefined, item, resolved.item, [...path, element]);
      }
    } else if (resolved.type === 'object') {
      const leftObject = isObject(left) ? left : {};
      const rightObject = isObject(right) ? right : {};
      for (const key of new Set([...Object.keys(leftObject), ...Object.keys(rightObject)])) {
        walk(leftObject[key], rightObject[key], childSchema(resolved, key), [
          ...path,
          fieldElement(key),
        ]);
      }
    }
    if (path.length === 0) return;
    if (left === undefined) comparison.added.insert(path);
    else if (right === undefined) comparison.removed.insert(path);
  };
  walk(lhs, rhs, schema, []);
  return comparison;
}

/** Merges an applied configuration into a live value: the configuration wins on leaves. */
export function merge(
  lhs: JsonValue | undefined,
  rhs: JsonValue | undefined,
  schema: TypeSchema,
): JsonValue | undefined {
  const walk = (
    left: JsonValue | undefined,
    right: JsonValue | undefined,
    nodeSchema: TypeSchema,
    path: string[],
  ): JsonValue | undefined => {
    const resolved = resolveSchema(nodeSchema, right ?? left);
    if (isLeaf(resolved, left, right)) return right !== undefined ? right : left;
    if (resolved.type === 'list') {
      const leftItems = keyedItems(resolved, left, path);
      const rightItems = keyedItems(resolved, right, path);
      if (!leftItems || !rightItems) return right !== undefined ? right : left;
      const out: JsonValue[] = [];
      for (const [element, item] of leftItems) {
        const merged = walk(item, rightItems.get(element), resolved.item, [...path, element]);
        if (merged !== undefined) out.push(merged);
      }
      for (const [element, item] of rightItems) {
        if (leftItems.has(element)) continue;
        const merged = walk(undefined, item, resolved.item, [...path, element]);
        if (merged !== undefined) out.push(merged);
      }
      return out.length > 0 ? out : undefined;
    }
    if (resolved.type !== 'object') return right !== undefined ? right : left;
    const leftObject = isObject(left) ? left : {};
    const rightObject = isObject(right) ? right : {};
    const out: JsonObject = {};
    for (const key of new Set([...Object.keys(leftObject), ...Object.keys(rightObject)])) {
      const merged = walk(leftObject[key], rightObject[key], childSchema(resolved, key), [
        ...path,
        fieldElement(key),
      ]);
      if (merged !== undefined) out[key] = merged;
    }
    return Object.keys(out).length > 0 ? out : undefined;
  };
  return walk(lhs, rhs, schema, []);
}

/**
 * Removes the member paths of `set` from a value. A container emptied this way becomes `null`,
 * as in structured-merge-diff (built-in kinds then drop it; custom resources keep it).
 */
export function removeItems(
  value: JsonValue,
  set: FieldSet,
  schema: TypeSchema,
  path: string[] = [],
): JsonValue {
  const resolved = resolveSchema(schema, value);
  if (resolved.type === 'list' && Array.isArray(value) && value.length > 0) {
    const items = keyedItems(resolved, value, path);
    if (!items) return value;
    const out: JsonValue[] = [];
    for (const [element, item] of items) {
      if (set.members.has(element)) continue;
      const subset = set.child(element);
      out.push(subset ? removeItems(item, subset, resolved.item, [...path, element]) : item);
    }
    return out.length > 0 ? out : null;
  }
  if (resolved.type === 'object' && isObject(value) && Object.keys(value).length > 0) {
    const out: JsonObject = {};
    for (const [key, child] of Object.entries(value)) {
      const element = fieldElement(key);
      if (set.members.has(element)) continue;
      const subset = set.child(element);
      out[key] = subset
        ? removeItems(child, subset, childSchema(resolved, key), [...path, element])
        : child;
    }
    return Object.keys(out).length > 0 ? out : null;
  }
  return value;
}
