import { ApiError } from './api-error.ts';
import { FieldSet, fieldElement, pathToString } from './field-set.ts';
import { isObject, type JsonObject, type JsonValue } from './json.ts';
import { compare, isSame, merge, removeItems, toFieldSet, type Comparison } from './structured.ts';
import type { TypeSchema } from './type-schema.ts';

/**
 * Field ownership (metadata.managedFields) for server-side apply and for every other write,
 * following the v1.20 field manager: one entry per (manager, Apply) and per (manager, Update,
 * apiVersion); an Update takes the fields it changes from everyone; an Apply owns exactly
 * what it sent, fails on fields another manager owns with a different value unless forced, and
 * removes what it stopped sending when nobody else owns it.
 */

export type Operation = 'Apply' | 'Update';

export interface ManagedEntry {
  manager: string;
  operation: Operation;
  apiVersion: string;
  time?: string;
  set: FieldSet;
}

export type Managers = Map<string, ManagedEntry>;

/** Fields nobody owns: identity and bookkeeping that the server maintains itself. */
const STRIPPED = FieldSet.of(
  [
    ['apiVersion'],
    ['kind'],
    ['metadata'],
    ['metadata', 'name'],
    ['metadata', 'namespace'],
    ['metadata', 'creationTimestamp'],
    ['metadata', 'selfLink'],
    ['metadata', 'uid'],
    ['metadata', 'clusterName'],
    ['metadata', 'generation'],
    ['metadata', 'managedFields'],
    ['metadata', 'resourceVersion'],
  ].map((path) => path.map(fieldElement)),
);

function identity(manager: string, operation: Operation, apiVersion: string): string {
  // Appliers keep one entry whatever version they apply with; updaters have one per version.
  return operation === 'Apply'
    ? `${manager}\u0000Apply`
    : `${manager}\u0000Update\u0000${apiVersion}`;
}

export function decodeManagedFields(value: JsonValue | undefined): Managers {
  const managers: Managers = new Map();
  if (!Array.isArray(value)) return managers;
  for (const entry of value) {
    if (!isObject(entry) || typeof entry.manager !== 'string') continue;
    const operation: Operation = entry.operation === 'Apply' ? 'Apply' : 'Update';
    const apiVersion = typeof entry.apiVersion === 'string' ? entry.apiVersion : '';
    managers.set(identity(entry.manager, operation, apiVersion), {
      manager: entry.manager,
      operation,
      apiVersion,
      time: typeof entry.time === 'string' ? entry.time : undefined,
      set: FieldSet.fromFieldsV1(entry.fieldsV1),
    });
  }
  return managers;
}

/** Entries sorted as the server sorts them: Apply before Update, then by time and name. */
export function encodeManagedFields(managers: Managers): JsonObject[] {
  return [...managers.values()]
    .filter((entry) => !entry.set.isEmpty())
    .sort(
      (a, b) =>
        a.operation.localeCompare(b.operation) ||
        (a.time ?? '').localeCompare(b.time ?? '') ||
        a.manager.localeCompare(b.manager) ||
        a.apiVersion.localeCompare(b.apiVersion),
    )
    .map((entry) => {
      const encoded: JsonObject = {
        manager: entry.manager,
        operation: entry.operation,
        apiVersion: entry.apiVersion,
      };
      if (entry.time) encoded.time = entry.time;
      encoded.fieldsType = 'FieldsV1';
      encoded.fieldsV1 = entry.set.toFieldsV1();
      return encoded;
    });
}

function copyManagers(managers: Managers): Managers {
  return new Map([...managers].map(([key, entry]) => [key, { ...entry, set: entry.set.copy() }]));
}

function describeManager(entry: ManagedEntry): string {
  return entry.operation === 'Update'
    ? `"${entry.manager}" using ${entry.apiVersion}`
    : `"${entry.manager}"`;
}

function applyConflict(conflicts: Map<string, FieldSet>, managers: Managers): ApiError {
  const found: { manager: string; path: string }[] = [];
  const byManager = [...conflicts]
    .map(([key, set]) => ({ manager: describeManager(managers.get(key) as ManagedEntry), set }))
    .sort((a, b) => a.manager.localeCompare(b.manager));
  for (const { manager, set } of byManager) {
    for (const path of set.paths()) found.push({ manager, path: pathToString(path) });
  }
  const [first] = found;
  let message: string;
  if (found.length === 1 && first) {
    message = `Apply failed with 1 conflict: conflict with ${first.manager}: ${first.path}`;
  } else {
    const lines = byManager.flatMap(({ manager, set }) => [
      `conflicts with ${manager}:`,
      ...set.paths().map((path) => `- ${pathToString(path)}`),
    ]);
    message = `Apply failed with ${found.length} conflicts: ${lines.join('\n')}`;
  }
  return new ApiError(409, 'Conflict', message, {
    causes: found.map(({ manager, path }) => ({
      reason: 'FieldManagerConflict',
      message: `conflict with ${manager}`,
      field: path,
    })),
  });
}

/** Takes changed fields away from other managers (or refuses, for an unforced apply). */
function reconcile(
  live: JsonObject,
  next: JsonObject,
  managers: Managers,
  self: string,
  isForced: boolean,
  schema: TypeSchema,
): Comparison {
  const comparison = compare(live, next, schema);
  const changed = comparison.modified.union(comparison.added);
  const conflicts = new Map<string, FieldSet>();
  for (const [key, entry] of managers) {
    if (key === self) continue;
    const overlap = entry.set.intersection(changed);
    if (!overlap.isEmpty()) conflicts.set(key, overlap);
  }
  if (!isForced && conflicts.size > 0) throw applyConflict(conflicts, managers);
  for (const [key, entry] of managers) {
    if (key === self) continue;
    entry.set = entry.set
      .difference(conflicts.get(key) ?? new FieldSet())
      .difference(comparison.removed);
    if (entry.set.isEmpty()) managers.delete(key);
  }
  return comparison;
}

export interface FieldManagerContext {
  schema: TypeSchema;
  apiVersion: string;
  now: string;
}

/** Ownership after a create, update or non-apply patch by `manager`. */
export function trackUpdate(
  live: JsonObject,
  next: JsonObject,
  previous: Managers,
  manager: string,
  { schema, apiVersion, now }: FieldManagerContext,
): Managers {
  const managers = copyManagers(previous);
  const self = '\u0000current-operation';
  const comparison = reconcile(live, next, managers, self, true, schema);
  const taken = comparison.modified
    .union(comparison.added)
    .difference(comparison.removed)
    .difference(STRIPPED);
  if (taken.isEmpty()) return managers;
  const key = identity(manager, 'Update', apiVersion);
  const existing = managers.get(key);
  managers.set(key, {
    manager,
    operation: 'Update',
    apiVersion,
    time: now,
    set: existing ? existing.set.union(taken) : taken,
  });
  return managers;
}

export interface ApplyResult {
  object: JsonObject;
  managers: Managers;
  isChanged: boolean;
}

/** Server-side apply of `config` by `manager` onto `live` (an empty object on create). */
export function applyConfiguration(
  live: JsonObject,
  config: JsonObject,
  previous: Managers,
  manager: string,
  isForced: boolean,
  { schema, apiVersion, now }: FieldManagerContext,
): ApplyResult {
  const managers = copyManagers(previous);
  const key = identity(manager, 'Apply', apiVersion);
  const configSet = toFieldSet(config, schema, { isStrict: true });
  const lastEntry = managers.get(key);
  managers.set(key, {
    manager,
    operation: 'Apply',
    apiVersion,
    time: lastEntry?.time,
    set: configSet,
  });
  let merged = merge(live, config, schema) as JsonObject;
  if (lastEntry && !lastEntry.set.isEmpty())
    merged = prune(merged, managers, lastEntry.set, schema);
  const comparison = reconcile(live, merged, managers, key, isForced, schema);
  const entry = managers.get(key) as ManagedEntry;
  entry.set = entry.set.difference(STRIPPED);
  const isChanged = !isSame(comparison);
  if (isChanged || !lastEntry) entry.time = now;
  if (entry.set.isEmpty()) managers.delete(key);
  return { object: isChanged ? merged : live, managers, isChanged };
}

/**
 * Removes what the applier owned last time and no longer sends, unless another manager owns
 * it; items nobody owned are left alone (structured-merge-diff's prune, addBackOwnedItems and
 * addBackDanglingItems).
 */
function prune(
  merged: JsonObject,
  managers: Managers,
  lastSet: FieldSet,
  schema: TypeSchema,
): JsonObject {
  const pruned = removeItems(merged, lastSet, schema) as JsonObject;
  let owned = new FieldSet();
  for (const entry of managers.values()) owned = owned.union(entry.set);
  const mergedSet = toFieldSet(merged, schema);
  const keptOwned = removeItems(
    merged,
    mergedSet.difference(toFieldSet(pruned, schema).union(owned)),
    schema,
  ) as JsonObject;
  const dangling = mergedSet.difference(toFieldSet(keptOwned, schema)).intersection(lastSet);
  return removeItems(merged, dangling, schema) as JsonObject;
}
