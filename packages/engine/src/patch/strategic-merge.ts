import { EngineError, type EngineErrorCode } from '../errors.ts';
import type { KubeObject } from '../types.ts';
import {
  cloneJson,
  describeJson,
  isJsonObject,
  pointerOf,
  type JsonObject,
  type JsonValue,
} from './json-value.ts';
import {
  fieldSchema,
  schemaForKind,
  type FieldSchema,
  type SchemaLookup,
  type TypeSchema,
} from './merge-keys.ts';
import {
  CLEAR,
  keyText,
  mergeListPatchFirst,
  mergeListTargetFirst,
  MergedListError,
  removeElements,
  type Merged,
} from './merged-list.ts';

export interface StrategicMergeOptions {
  /**
   * Where a merged list puts its elements. `target-first` (the default, as the API server's
   * strategic merge patch): target elements stay in place, new ones are appended.
   * `patch-first` (as kustomize): the patch's elements first, in the patch's order, then the
   * target's others.
   */
  listOrder?: 'target-first' | 'patch-first';
  /** The code of the EngineError thrown for a patch that cannot apply (default OverlayFailed). */
  code?: EngineErrorCode;
  /**
   * Where the merge keys of each kind come from, in place of the built-in Kubernetes types
   * (kustomize's custom `openapi` schema).
   */
  schemaFor?: SchemaLookup;
}

type Directive = 'merge' | 'replace' | 'delete';
type Path = (string | number)[];

const PATCH = '$patch';
const RETAIN_KEYS = '$retainKeys';
const SET_ELEMENT_ORDER = '$setElementOrder/';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList/';

type NodeKind = 'map' | 'list' | 'scalar';

function nodeKind(value: JsonValue | undefined): NodeKind | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return 'list';
  return typeof value === 'object' ? 'map' : 'scalar';
}

class StrategicMerger {
  constructor(
    private readonly listOrder: 'target-first' | 'patch-first',
    private readonly code: EngineErrorCode,
  ) {}

  fail(message: string, path: Path): never {
    throw new EngineError(this.code, `strategic merge patch: ${message}`, pointerOf(path));
  }

  walk(
    target: JsonValue | undefined,
    patch: JsonValue | undefined,
    field: FieldSchema | undefined,
    path: Path,
  ): Merged {
    const kind = nodeKind(target) ?? nodeKind(patch);
    for (const value of [target, patch]) {
      const other = nodeKind(value);
      if (kind && other && other !== kind) {
        this.fail(`cannot merge a ${describeJson(patch)} into a ${describeJson(target)}`, path);
      }
    }
    switch (kind) {
      case 'list':
        return field?.mergeKeys
          ? this.walkMergedList(target, patch, field, path)
          : this.walkReplacedValue(target, patch);
      case 'scalar':
        return this.walkReplacedValue(target, patch);
      case 'map':
      case undefined:
        return this.walkMap(target, patch, field?.type, path);
    }
  }

  /** Scalars and lists without merge key: the patch's value wins, null removes the field. */
  private walkReplacedValue(target: JsonValue | undefined, patch: JsonValue | undefined): Merged {
    if (patch === undefined) return target ?? CLEAR;
    return patch === null ? CLEAR : patch;
  }

  private mapDirective(patch: JsonObject, path: Path): Directive {
    const value = patch[PATCH];
    if (value === undefined) return 'merge';
    delete patch[PATCH];
    if (value === 'merge' || value === 'replace' || value === 'delete') return value;
    return this.fail(`unknown $patch directive ${JSON.stringify(value)}`, path);
  }

  private walkMap(
    target: JsonValue | undefined,
    patch: JsonValue | undefined,
    type: TypeSchema | undefined,
    path: Path,
  ): Merged {
    let result: JsonObject;
    const patchMap = isJsonObject(patch) ? patch : undefined;
    if (target === undefined || target === null) {
      // An explicit null in the target survives a patch that does not mention it.
      if (patch === undefined && target === null) return null;
      if (!patchMap) return CLEAR;
      if (this.mapDirective(patchMap, path) === 'delete') return CLEAR;
      result = patchMap;
    } else {
      if (patch === null) return CLEAR;
      const directive = patchMap ? this.mapDirective(patchMap, path) : 'merge';
      if (directive === 'delete') return CLEAR;
      result = directive === 'replace' && patchMap ? patchMap : (target as JsonObject);
    }

    const directives = patchMap ? takeMapDirectives(patchMap) : undefined;
    for (const [field, values] of directives?.deletions ?? []) {
      const list = result[field];
      if (Array.isArray(list)) {
        const drop = new Set(values.map(keyText));
        result[field] = list.filter((value) => !drop.has(keyText(value)));
      }
    }
    const keys = new Set([...Object.keys(result), ...Object.keys(patchMap ?? {})]);
    for (const key of [...keys].sort()) {
      const merged = this.walk(result[key], patchMap?.[key], fieldSchema(type, key), [
        ...path,
        key,
      ]);
      if (merged === CLEAR) delete result[key];
      else result[key] = merged;
    }
    for (const [field, order] of directives?.orders ?? []) {
      const list = result[field];
      const key = fieldSchema(type, field)?.mergeKeys?.[0];
      if (Array.isArray(list)) result[field] = orderElements(list, order, key);
    }
    if (directives?.retainKeys) {
      const retained = new Set(directives.retainKeys.map(keyText));
      for (const key of Object.keys(result)) if (!retained.has(key)) delete result[key];
    }
    return result;
  }

  private walkMergedList(
    target: JsonValue | undefined,
    patch: JsonValue | undefined,
    field: FieldSchema,
    path: Path,
  ): Merged {
    const patchList = Array.isArray(patch) ? patch : undefined;
    let directive: Directive = 'merge';
    if (patchList) directive = listDirective(patchList, (message) => this.fail(message, path));
    if (patch === null || directive === 'delete') return CLEAR;
    if (directive === 'replace' && patchList) return this.clean(patchList, field, path);

    const keys = field.mergeKeys ?? [];
    const label = (element: JsonValue | undefined) => {
      const key = keys[0];
      return key && isJsonObject(element) ? `[${key}=${keyText(element[key])}]` : '[]';
    };
    const mergeElement = (element: JsonValue | undefined, patchElement: JsonValue | undefined) =>
      this.walk(element, patchElement, { type: field.type }, [
        ...path,
        label(patchElement ?? element),
      ]);
    const targetList = Array.isArray(target) ? target : undefined;
    try {
      if (this.listOrder === 'target-first') {
        return mergeListTargetFirst(targetList ?? [], patchList ?? [], keys, mergeElement);
      }
      // kustomize merges a list the target lacks with itself, which drops deleted elements.
      const base = targetList ?? patchList ?? [];
      return mergeListPatchFirst(base, targetList ? patchList : base, keys, mergeElement);
    } catch (error) {
      if (error instanceof MergedListError) return this.fail(error.message, path);
      throw error;
    }
  }

  /** A list that replaces the target's: directives and nulls inside it still apply. */
  private clean(list: JsonValue[], field: FieldSchema, path: Path): JsonValue[] {
    const cleaned: JsonValue[] = [];
    list.forEach((element, i) => {
      const merged = this.walk(undefined, element, { type: field.type }, [...path, i]);
      if (merged !== CLEAR && merged !== null) cleaned.push(merged);
    });
    return cleaned;
  }
}

/**
 * Reads a list-level `{$patch: ...}` element. As in kustomize, the first element carrying
 * `$patch` decides (one with other fields makes it a plain merge), and every element with the
 * same directive is then removed, keyed ones included.
 */
function listDirective(list: JsonValue[], fail: (message: string) => never): Directive {
  const first = list.find((element) => isJsonObject(element) && PATCH in element);
  if (!isJsonObject(first) || Object.keys(first).length > 1) return 'merge';
  const value = first[PATCH];
  if (value !== 'merge' && value !== 'replace' && value !== 'delete') {
    return fail(`unknown $patch directive ${JSON.stringify(value)}`);
  }
  removeElements(list, PATCH, value);
  return value;
}

interface MapDirectives {
  retainKeys?: JsonValue[];
  orders: [string, JsonValue[]][];
  deletions: [string, JsonValue[]][];
}

function takeMapDirectives(patch: JsonObject): MapDirectives {
  const directives: MapDirectives = { orders: [], deletions: [] };
  for (const key of Object.keys(patch)) {
    const value = patch[key];
    const list = Array.isArray(value) ? value : [];
    if (key === RETAIN_KEYS) directives.retainKeys = list;
    else if (key.startsWith(SET_ELEMENT_ORDER)) {
      directives.orders.push([key.slice(SET_ELEMENT_ORDER.length), list]);
    } else if (key.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
      directives.deletions.push([key.slice(DELETE_FROM_PRIMITIVE_LIST.length), list]);
    } else continue;
    delete patch[key];
  }
  return directives;
}

/** `$setElementOrder`: the listed elements in the listed order, then the others as they were. */
function orderElements(
  list: JsonValue[],
  order: JsonValue[],
  key: string | undefined,
): JsonValue[] {
  const identity = (value: JsonValue | undefined) =>
    key !== undefined && isJsonObject(value) ? keyText(value[key]) : keyText(value ?? null);
  const rank = new Map(order.map((entry, i) => [identity(entry), i]));
  const listed = list.filter((element) => rank.has(identity(element)));
  listed.sort((a, b) => (rank.get(identity(a)) ?? 0) - (rank.get(identity(b)) ?? 0));
  return [...listed, ...list.filter((element) => !rank.has(identity(element)))];
}

/**
 * Applies a Kubernetes strategic merge patch: maps merge recursively, null removes a field,
 * lists of the built-in types merge by their patch merge key (see merge-keys.ts) and other
 * lists are replaced; `$patch: replace|delete|merge`, `$retainKeys`, `$setElementOrder/<f>` and
 * `$deleteFromPrimitiveList/<f>` are honoured. Returns null when the patch deletes the whole
 * object (`$patch: delete` at its top). Inputs are not modified.
 */
export function applyStrategicMergePatch(
  target: KubeObject | JsonObject,
  patch: unknown,
  options: StrategicMergeOptions = {},
): KubeObject | null {
  if (!isJsonObject(patch)) {
    throw new EngineError(
      options.code ?? 'OverlayFailed',
      `strategic merge patch must be a map, not a ${describeJson(patch)}`,
    );
  }
  const merger = new StrategicMerger(
    options.listOrder ?? 'target-first',
    options.code ?? 'OverlayFailed',
  );
  const lookup = options.schemaFor ?? schemaForKind;
  const schema = lookup(target.apiVersion, target.kind) ?? lookup(patch.apiVersion, patch.kind);
  const merged = merger.walk(
    cloneJson(target as JsonObject),
    cloneJson(patch),
    { type: schema },
    [],
  );
  if (!isJsonObject(merged) || Object.keys(merged).length === 0) return null;
  return merged as KubeObject;
}

/** {@link applyStrategicMergePatch} for a patch that must leave an object. */
export function strategicMergePatch(
  target: KubeObject,
  patch: unknown,
  options: StrategicMergeOptions = {},
): KubeObject {
  const merged = applyStrategicMergePatch(target, patch, options);
  if (merged) return merged;
  throw new EngineError(
    options.code ?? 'OverlayFailed',
    `strategic merge patch deletes ${target.kind} ${target.metadata.name} entirely`,
  );
}
