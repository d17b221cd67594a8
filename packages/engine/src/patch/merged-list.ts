import { isJsonObject, type JsonValue } from './json-value.ts';

/** Marks a field or list element that the merge removes. */
export const CLEAR = Symbol('clear');
export type Merged = JsonValue | typeof CLEAR;

/** Merges one element of the target list with the patch's element of the same key. */
export type MergeElement = (target: JsonValue | undefined, patch: JsonValue | undefined) => Merged;

/** Thrown for a list the merge cannot handle; the caller adds where it happened. */
export class MergedListError extends Error {}

/**
 * The text kustomize compares merge keys by: a scalar's text, "" for maps and lists.
 * Numbers compare by value here, where kustomize compares the YAML text ("0x50" vs "80").
 */
export function keyText(value: JsonValue | undefined): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return '';
  return String(value);
}

function isEmptyMap(value: JsonValue | undefined): boolean {
  return isJsonObject(value) && Object.keys(value).length === 0;
}

/**
 * Merges a list whose elements are keyed, the way the API server's strategic merge patch does:
 * target elements stay in place and absorb the patch's element of the same primary key; new
 * elements are appended; scalars are unioned.
 */
export function mergeListTargetFirst(
  target: JsonValue[],
  patch: JsonValue[],
  keys: readonly string[],
  mergeElement: MergeElement,
): JsonValue[] {
  const result = [...target];
  const primary = keys[0];
  for (const element of patch) {
    if (primary === undefined) {
      if (!result.some((existing) => keyText(existing) === keyText(element))) result.push(element);
      continue;
    }
    const index = isJsonObject(element)
      ? result.findIndex(
          (existing) =>
            isJsonObject(existing) &&
            existing[primary] !== undefined &&
            keyText(existing[primary]) === keyText(element[primary]),
        )
      : -1;
    const merged = mergeElement(index >= 0 ? result[index] : undefined, element);
    if (merged === CLEAR || merged === null || isEmptyMap(merged)) {
      if (index >= 0) result.splice(index, 1);
    } else if (index >= 0) {
      result[index] = merged;
    } else {
      result.push(merged);
    }
  }
  return result;
}

/*
 * What follows reproduces how kustomize (kyaml's merge2 walker, with the list-increase
 * direction "prepend" that kustomize's patch transformers set) merges a keyed list, including
 * its quirks, because its output order is what users of kustomize see: the patch's elements
 * come first, in the patch's order, then the target's others; with several keys (container
 * ports: containerPort+protocol) each target element is removed and appended again.
 */

/** Does this map have the field, with this text (any value when the text is empty)? */
function hasField(element: JsonValue, name: string, text: string): boolean {
  if (name === '')
    return !isJsonObject(element) && !Array.isArray(element) && keyText(element) === text;
  if (!isJsonObject(element) || !(name in element)) return false;
  return text === '' || keyText(element[name]) === text;
}

/** Replaces the elements matching keys=values by `element`, or appends it; drops empties. */
function setElement(
  list: JsonValue[],
  element: JsonValue | undefined,
  keysIn: readonly string[],
  values: readonly string[],
): void {
  const keys = keysIn.length > 0 ? keysIn : [''];
  const isMappingSetter = keys[0] !== '' && values.length > 0 && values[0] !== '';
  const next: JsonValue[] = [];
  let matched = false;
  for (const existing of list) {
    if (existing === null || isEmptyMap(existing)) continue;
    if (!isJsonObject(existing) && isMappingSetter) {
      next.push(existing);
      continue;
    }
    let found = true;
    let lastMatch = false;
    for (let j = 0; j < keys.length; j++) {
      const key = keys[j] ?? '';
      const text = values[j];
      if (text !== undefined) lastMatch = hasField(existing, key, text);
      if (!lastMatch) {
        found = false;
        break;
      }
    }
    if (!found) {
      if (values.length > 0) next.push(existing);
      continue;
    }
    matched = true;
    if (element !== undefined) next.push(element);
  }
  list.splice(0, list.length, ...next);
  if (element === undefined || element === null) return;
  if (!matched) list.push(element);
}

/** Removes the maps whose `key` field has this text (and, as kustomize does, empty elements). */
export function removeElements(list: JsonValue[], key: string, text: string): void {
  setElement(list, undefined, [key], [text]);
}

/** The first element whose key fields have exactly these texts. */
function findElement(
  list: JsonValue[] | undefined,
  keys: readonly string[],
  values: readonly string[],
): JsonValue | undefined {
  if (!list) return undefined;
  if (keys.length === 0 || keys[0] === '') {
    return list.find(
      (element) => !Array.isArray(element) && keyText(element) === (values[0] ?? ''),
    );
  }
  return list.find(
    (element) =>
      isJsonObject(element) &&
      keys.every(
        (key, i) =>
          key in element && element[key] !== undefined && keyText(element[key]) === values[i],
      ),
  );
}

function tuplesOf(lists: (JsonValue[] | undefined)[], keys: readonly string[]): string[][] {
  const tuples: string[][] = [];
  for (const list of lists) {
    for (const element of list ?? []) {
      const tuple = keys.map((key) => (isJsonObject(element) ? keyText(element[key]) : ''));
      if (tuple.length === 0) continue;
      if (tuples.some((seen) => seen.every((text, i) => text === tuple[i]))) continue;
      tuples.push(tuple);
    }
  }
  return tuples;
}

function scalarTuplesOf(lists: (JsonValue[] | undefined)[]): string[][] {
  const seen = new Set<string>();
  const tuples: string[][] = [];
  for (const list of lists) {
    for (const element of list ?? []) {
      const text = keyText(element);
      if (seen.has(text)) continue;
      seen.add(text);
      tuples.push([text]);
    }
  }
  return tuples;
}

/** Two key tuples denote the same element when they agree wherever both have a value. */
function unify(a: string[], b: string[]): string[] | undefined {
  if (a.length !== b.length) return undefined;
  let hasCommon = false;
  const unified: string[] = [];
  for (let i = 0; i < a.length; i++) {
    const left = a[i] ?? '';
    const right = b[i] ?? '';
    if (left === right) {
      hasCommon = true;
      unified.push(left);
    } else if (left !== '' && right !== '') {
      return undefined;
    } else {
      unified.push(left !== '' ? left : right);
    }
  }
  return hasCommon ? unified : undefined;
}

function unifyAll(tuples: string[][]): void {
  for (let i = 0; i < tuples.length; i++) {
    for (let j = 0; j < tuples.length; j++) {
      const unified = unify(tuples[i] ?? [], tuples[j] ?? []);
      if (unified) {
        tuples[i] = unified;
        tuples[j] = unified;
      }
    }
  }
}

/** Keeps the keys that some tuple has a value for (all keys when none has). */
function usedKeys(
  tuples: string[][],
  values: string[],
  keys: readonly string[],
): [string[], string[]] {
  const used = new Set<string>();
  for (const tuple of tuples) {
    tuple.forEach((text, i) => {
      if (text !== '') used.add(keys[i] ?? '');
    });
  }
  if (used.size === 0) return [[...keys], values];
  return [
    keys.filter((key) => used.has(key)),
    values.filter((text, i) => text !== '' || used.has(keys[i] ?? '')),
  ];
}

function appendElements(target: JsonValue[], source: JsonValue[], keys: readonly string[]): void {
  for (const element of [...source]) {
    if (keys[0] === '' || keys.length === 0) {
      setElement(target, element, [''], [keyText(element)]);
      continue;
    }
    if (!isJsonObject(element)) {
      throw new MergedListError(`a list merged by ${keys.join('+')} holds a ${typeof element}`);
    }
    const values: string[] = [];
    for (const key of keys) {
      if (!(key in element)) {
        target.push(element);
        continue;
      }
      values.push(element[key] === null ? 'null' : keyText(element[key]));
    }
    if (keys.length > 1) setElement(target, undefined, keys, values);
    setElement(target, element, keys, values);
  }
}

/** Merges `patch` into `target` (mutated) as kustomize does; undefined when it ends up empty. */
export function mergeListPatchFirst(
  target: JsonValue[],
  patch: JsonValue[] | undefined,
  keys: readonly string[],
  mergeElement: MergeElement,
): JsonValue[] {
  let tuples = keys.length > 0 ? tuplesOf([patch, target], keys) : [];
  let effectiveKeys = keys;
  if (tuples.length === 0 && keys.length === 0) {
    tuples = scalarTuplesOf([patch, target]);
    effectiveKeys = [''];
  }
  if (effectiveKeys.length > 1) unifyAll(tuples);

  const added: JsonValue[] = [];
  let validKeys: string[] = [];
  for (const tuple of tuples) {
    if (tuple.length === 0) continue;
    const [keysUsed, valuesUsed] = usedKeys(tuples, tuple, effectiveKeys);
    validKeys = keysUsed;
    const [findKeys, findValues] = usedKeys([valuesUsed], valuesUsed, keysUsed);
    const merged = mergeElement(
      findElement(target, findKeys, findValues),
      findElement(patch, findKeys, findValues),
    );
    if (merged === CLEAR || merged === null || isEmptyMap(merged)) {
      setElement(target, undefined, keysUsed, valuesUsed);
      continue;
    }
    keysUsed.forEach((key, i) => {
      const text = valuesUsed[i] ?? '';
      if (isJsonObject(merged) && key !== '' && !(key in merged) && text !== '') merged[key] = text;
    });
    setElement(added, merged, keysUsed, valuesUsed);
  }
  if (tuples.length === 0) return target;
  appendElements(added, target, validKeys);
  return added;
}
