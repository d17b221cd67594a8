import { EngineError } from '../errors.ts';
import { isJsonObject, type JsonObject, type JsonValue } from '../patch/json-value.ts';
import { gvkSelected, type Gvk } from './resource.ts';

/** Where a transformer writes, as kustomize's builtin configuration lists it. */
export interface FieldSpec extends Partial<Gvk> {
  /** Slash-separated; `\/` escapes a slash in a key; `name[]` marks a list field. */
  path: string;
  /** Create the missing fields on the way (the last one as `createAs`). */
  create?: boolean;
}

/**
 * Parses the compact tables of field-specs.ts: `path [create] [group/version/kind]`, where
 * `*` or an empty part of the selector matches anything.
 */
export function fieldSpecs(table: string): FieldSpec[] {
  return table
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [path = '', ...rest] = line.trim().split(/\s+/);
      const create = rest.includes('create');
      const selector = rest.find((word) => word !== 'create');
      const [group, version, kind] = (selector ?? '').split('/').map((p) => (p === '*' ? '' : p));
      return { path, create, group, version, kind };
    });
}

const splitPaths = new Map<string, string[]>();

export function splitFieldPath(path: string): string[] {
  const known = splitPaths.get(path);
  if (known) return known;
  const parts: string[] = [];
  for (const piece of path.replace(/^\/(?=.)/, '').split('/')) {
    const last = parts.length - 1;
    if (last >= 0 && parts[last]?.endsWith('\\'))
      parts[last] = `${parts[last].slice(0, -1)}/${piece}`;
    else parts.push(piece);
  }
  splitPaths.set(path, parts);
  return parts;
}

/** A place holding a value: `container[key]`. */
export interface Slot {
  container: JsonObject | JsonValue[];
  key: string | number;
}

export type CreateAs = 'map' | 'scalar' | undefined;

export function specSelects(spec: FieldSpec, object: JsonObject): boolean {
  const apiVersion = typeof object.apiVersion === 'string' ? object.apiVersion : '';
  const slash = apiVersion.indexOf('/');
  const gvk: Gvk = {
    group: slash < 0 ? '' : apiVersion.slice(0, slash),
    version: slash < 0 ? apiVersion : apiVersion.slice(slash + 1),
    kind: typeof object.kind === 'string' ? object.kind : '',
  };
  return gvkSelected(gvk, spec);
}

/**
 * Visits the slots a field spec designates in an object, the way kustomize's fieldspec
 * filter walks: lists on the way are entered element by element, missing fields are created
 * only when the spec says so, and a null on the way stops the walk.
 */
export function visitFieldSpec(
  object: JsonObject,
  spec: FieldSpec,
  createAs: CreateAs,
  visit: (slot: Slot) => void,
  where: string,
): void {
  if (!specSelects(spec, object)) return;
  const path = splitFieldPath(spec.path);
  const walk = (value: JsonValue | undefined, slot: Slot, depth: number): void => {
    if (depth === path.length) {
      visit(slot);
      return;
    }
    if (value === undefined || value === null) return;
    if (Array.isArray(value)) {
      value.forEach((element, i) => walk(element, { container: value, key: i }, depth));
      return;
    }
    if (!isJsonObject(value)) {
      throw new EngineError(
        'KustomizeFailed',
        `${where}: considering field '${spec.path}': expected a list or map at '${path
          .slice(0, depth)
          .join('/')}'`,
        where,
      );
    }
    const segment = path[depth] ?? '';
    const isList = segment.endsWith('[]');
    const field = isList ? segment.slice(0, -2) : segment;
    const isLast = depth === path.length - 1;
    const creates = spec.create === true && createAs !== undefined && !isList;
    if (creates && value[field] === undefined) {
      value[field] = isLast && createAs === 'scalar' ? '' : {};
    }
    if (value[field] === null) {
      if (isList) value[field] = [];
      else if (creates) value[field] = isLast && createAs === 'scalar' ? '' : {};
    }
    // A field the spec may not create is left alone: commonLabels must not give a
    // NetworkPolicy's `podSelector: {}` (select every pod) a matchLabels that narrows it.
    if (value[field] === undefined) return;
    walk(value[field], { container: value, key: field }, depth + 1);
  };
  walk(object, { container: [object], key: 0 }, 0);
}

export function readSlot(slot: Slot): JsonValue | undefined {
  return Array.isArray(slot.container)
    ? slot.container[slot.key as number]
    : slot.container[slot.key as string];
}

export function writeSlot(slot: Slot, value: JsonValue): void {
  if (Array.isArray(slot.container)) slot.container[slot.key as number] = value;
  else slot.container[slot.key as string] = value;
}

/** Sets key=value in the map a slot holds (labels, annotations, selectors). */
export function setMapEntry(slot: Slot, key: string, value: string, where: string): void {
  const map = readSlot(slot);
  if (!isJsonObject(map)) {
    throw new EngineError(
      'KustomizeFailed',
      `${where}: expected a map at ${String(slot.key)}`,
      where,
    );
  }
  map[key] = value;
}
