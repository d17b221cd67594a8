import { ApiError } from './api-error.ts';
import { clone, deepEqual, isObject, type JsonObject, type JsonValue } from './json.ts';
import { fieldSchema, resolveSchema, type TypeSchema } from './type-schema.ts';

/** JSON merge patch (RFC 7386): objects merge, `null` deletes, everything else replaces. */
export function applyMergePatch(target: JsonValue | undefined, patch: JsonValue): JsonValue {
  if (!isObject(patch)) return clone(patch);
  const out: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = applyMergePatch(out[key], value);
  }
  return out;
}

function rejectedPatch(): ApiError {
  return new ApiError(
    422,
    'Invalid',
    'the server rejected our request due to an error in our request',
    {},
  );
}

function pointerTokens(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw rejectedPatch();
  return pointer
    .slice(1)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

type Container = JsonObject | JsonValue[];

function parentOf(root: JsonValue, tokens: string[]): { parent: Container; last: string } {
  let node: JsonValue | undefined = root;
  for (const token of tokens.slice(0, -1)) {
    node = Array.isArray(node) ? node[Number(token)] : isObject(node) ? node[token] : undefined;
  }
  const last = tokens[tokens.length - 1];
  if (last === undefined || !(Array.isArray(node) || isObject(node))) throw rejectedPatch();
  return { parent: node, last };
}

function read(root: JsonValue, pointer: string): JsonValue {
  let node: JsonValue | undefined = root;
  for (const token of pointerTokens(pointer)) {
    node = Array.isArray(node) ? node[Number(token)] : isObject(node) ? node[token] : undefined;
  }
  if (node === undefined) throw rejectedPatch();
  return node;
}

function add(root: JsonValue, pointer: string, value: JsonValue): JsonValue {
  const tokens = pointerTokens(pointer);
  if (tokens.length === 0) return value;
  const { parent, last } = parentOf(root, tokens);
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : Number(last);
    if (!Number.isInteger(index) || index < 0 || index > parent.length) throw rejectedPatch();
    parent.splice(index, 0, value);
  } else {
    parent[last] = value;
  }
  return root;
}

function remove(root: JsonValue, pointer: string): JsonValue {
  const { parent, last } = parentOf(root, pointerTokens(pointer));
  if (Array.isArray(parent)) {
    const index = Number(last);
    if (!Number.isInteger(index) || index < 0 || index >= parent.length) throw rejectedPatch();
    parent.splice(index, 1);
  } else {
    if (!(last in parent)) throw rejectedPatch();
    delete parent[last];
  }
  return root;
}

/** JSON patch (RFC 6902). Any failed operation rejects the whole patch, with a 422. */
export function applyJsonPatch(target: JsonValue, operations: JsonValue): JsonValue {
  if (!Array.isArray(operations)) throw rejectedPatch();
  let doc = clone(target);
  for (const operation of operations) {
    if (!isObject(operation) || typeof operation.path !== 'string') throw rejectedPatch();
    const { op, path, value, from } = operation;
    switch (op) {
      case 'add':
        doc = add(doc, path, clone(value ?? null));
        break;
      case 'remove':
        doc = remove(doc, path);
        break;
      case 'replace':
        read(doc, path);
        doc = add(remove(doc, path), path, clone(value ?? null));
        break;
      case 'move':
      case 'copy': {
        if (typeof from !== 'string') throw rejectedPatch();
        const moved = clone(read(doc, from));
        if (op === 'move') doc = remove(doc, from);
        doc = add(doc, path, moved);
        break;
      }
      case 'test':
        if (!deepEqual(read(doc, path), value ?? null)) throw rejectedPatch();
        break;
      default:
        throw rejectedPatch();
    }
  }
  return doc;
}

const DIRECTIVE = '$patch';

/**
 * Strategic merge patch: a merge patch that merges associative lists by their patchMergeKey
 * and knows the `$patch: replace|delete`, `$deleteFromPrimitiveList` and `$setElementOrder`
 * directives (the last only stripped: element order is kept as on the server).
 */
export function applyStrategicMergePatch(
  target: JsonValue | undefined,
  patch: JsonValue,
  schema: TypeSchema,
): JsonValue {
  if (!isObject(patch)) return clone(patch);
  if (patch[DIRECTIVE] === 'replace') {
    const { [DIRECTIVE]: _directive, ...rest } = patch;
    return clone(rest);
  }
  const resolved = resolveSchema(schema, isObject(target) ? target : patch);
  const out: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key === DIRECTIVE || key.startsWith('$setElementOrder/') || key === '$retainKeys') continue;
    if (key.startsWith('$deleteFromPrimitiveList/')) {
      const field = key.slice('$deleteFromPrimitiveList/'.length);
      const current = out[field];
      if (Array.isArray(current) && Array.isArray(value)) {
        out[field] = current.filter((item) => !value.some((removed) => deepEqual(removed, item)));
      }
      continue;
    }
    if (value === null) {
      delete out[key];
      continue;
    }
    const child =
      resolved.type === 'object'
        ? (fieldSchema(resolved, key) ?? { type: 'generic' as const })
        : { type: 'generic' as const };
    if (isObject(value) && value[DIRECTIVE] === 'delete') {
      delete out[key];
    } else if (Array.isArray(value)) {
      out[key] = mergeList(out[key], value, child);
    } else {
      out[key] = applyStrategicMergePatch(out[key], value, child);
    }
  }
  return out;
}

function mergeList(
  target: JsonValue | undefined,
  patch: JsonValue[],
  schema: TypeSchema,
): JsonValue {
  const current = Array.isArray(target) ? target : [];
  if (schema.type !== 'list') return clone(patch);
  if (patch.some((item) => isObject(item) && item[DIRECTIVE] === 'replace')) {
    return clone(patch.filter((item) => !(isObject(item) && item[DIRECTIVE] === 'replace')));
  }
  if (schema.listType === 'set') {
    const out = [...current];
    for (const item of patch)
      if (!out.some((existing) => deepEqual(existing, item))) out.push(clone(item));
    return out;
  }
  const mergeKey = schema.mergeKey ?? schema.keys[0] ?? 'name';
  const out = [...current];
  for (const item of patch) {
    if (!isObject(item)) continue;
    const index = out.findIndex(
      (existing) => isObject(existing) && deepEqual(existing[mergeKey], item[mergeKey]),
    );
    if (item[DIRECTIVE] === 'delete') {
      if (index >= 0) out.splice(index, 1);
    } else if (index >= 0) {
      out[index] = applyStrategicMergePatch(out[index], item, schema.item);
    } else {
      out.push(applyStrategicMergePatch(undefined, item, schema.item));
    }
  }
  return out;
}
