import { EngineError } from '../../errors.ts';
import { isJsonObject, type JsonObject } from '../../patch/json-value.ts';
import { applyJsonPatch } from '../../patch/json-patch.ts';
import { applyStrategicMergePatch } from '../../patch/strategic-merge.ts';
import type { SchemaLookup } from '../../patch/merge-keys.ts';
import type { PatchEntry } from '../kustomization.ts';
import type { KustLoader } from '../loader.ts';
import { customSchemaOf } from '../openapi-schema.ts';
import type { ResMap } from '../res-map.ts';
import { readResources } from '../read-resources.ts';
import type { Resource } from '../resource.ts';
import { selectResources } from '../selector.ts';
import { parseYamlDocument } from '../yaml.ts';

function fail(message: string, where: string): never {
  throw new EngineError('KustomizeFailed', `${where}: ${message}`, where);
}

interface SmOptions {
  allowNameChange?: boolean;
  allowKindChange?: boolean;
  /**
   * patchesStrategicMerge, and `patches` with a target, go through a copy of the patch that
   * takes the target's apiVersion and whose labels and annotations are re-read as strings:
   * there a null label becomes the string "null" instead of removing the label.
   */
  viaCopy?: boolean;
  /** The custom `openapi` schema in effect, if any: it says which lists merge by key. */
  schemaFor?: SchemaLookup | undefined;
}

function labelText(value: unknown): string {
  if (value === null) return 'null';
  return typeof value === 'object' ? '' : String(value);
}

function copyOfPatch(patch: JsonObject, apiVersion: string): JsonObject {
  const copy: JsonObject = { ...patch, apiVersion };
  if (!isJsonObject(patch.metadata)) return copy;
  const metadata: JsonObject = { ...patch.metadata };
  for (const field of ['labels', 'annotations']) {
    const map = metadata[field];
    const entries = isJsonObject(map) ? Object.entries(map) : [];
    if (entries.length === 0) delete metadata[field];
    else metadata[field] = Object.fromEntries(entries.map(([k, v]) => [k, labelText(v)]));
  }
  copy.metadata = metadata;
  return copy;
}

/** Applies a strategic merge patch as kustomize does: name, kind and namespace stay. */
function applySmPatch(target: Resource, patch: JsonObject, options: SmOptions, where: string) {
  const { name, namespace, kind } = target;
  const patchObject = options.viaCopy ? copyOfPatch(patch, target.apiVersion) : patch;
  if (options.allowNameChange || options.allowKindChange) target.storePreviousId();
  let merged;
  try {
    merged = applyStrategicMergePatch(target.object, patchObject, {
      listOrder: 'patch-first',
      code: 'KustomizeFailed',
      ...(options.schemaFor ? { schemaFor: options.schemaFor } : {}),
    });
  } catch (error) {
    if (error instanceof EngineError) fail(`patching ${kind} ${name}: ${error.message}`, where);
    throw error;
  }
  if (!merged) {
    target.object = {};
    return;
  }
  target.object = merged as JsonObject;
  if (!options.allowKindChange) target.object.kind = kind;
  if (!options.allowNameChange) target.name = name;
  target.namespace = namespace;
}

/** Reads strategic merge patches: objects with kind and name (Lists are expanded). */
function readSmPatches(text: string, source: string): Resource[] {
  return readResources(text, source, true);
}

/** An entry of patchesStrategicMerge is inline YAML or a file path. */
function loadSmEntry(entry: string, loader: KustLoader, field: string): Resource[] {
  let inline: Resource[] | undefined;
  try {
    inline = readSmPatches(entry, loader.where(field));
  } catch {
    inline = undefined;
  }
  if (inline && inline.length > 0) return inline;
  const { path, text } = loader.readFile(entry, field);
  return readSmPatches(text, path);
}

export function applyPatchesStrategicMerge(
  resmap: ResMap,
  entries: readonly string[],
  loader: KustLoader,
): void {
  const patches = entries.flatMap((entry, i) =>
    loadSmEntry(entry, loader, `patchesStrategicMerge[${i}]`).map((patch) => ({ patch, i })),
  );
  const schemaFor = customSchemaOf(loader);
  for (const { patch, i } of patches) {
    const where = loader.where(`patchesStrategicMerge[${i}]`);
    const target = resmap.getByIdForPatch(patch.orgId(), where);
    applySmPatch(target, patch.object, { viaCopy: true, schemaFor }, where);
    resmap.dropEmpties();
  }
}

type ParsedPatch = { sm: Resource[] } | { json: unknown[] };

/** kustomize decides by parsing: a patch is strategic merge or JSON 6902, never both. */
function parsePatch(text: string, source: string, where: string): ParsedPatch {
  let sm: Resource[] | undefined;
  let json: unknown[] | undefined;
  try {
    sm = readSmPatches(text, source);
  } catch {
    sm = undefined;
  }
  try {
    const value = parseYamlDocument(text, source, 'kustomization');
    if (Array.isArray(value)) json = value;
  } catch {
    json = undefined;
  }
  if (sm && json) fail(`illegally qualifies as both an SM and JSON patch: ${source}`, where);
  if (json) return { json };
  if (sm) return { sm };
  return fail(`unable to parse SM or JSON patch from ${source}`, where);
}

function patchText(entry: PatchEntry, loader: KustLoader, field: string) {
  const where = loader.where(field);
  const inline = entry.patch?.trim() ?? '';
  if (inline === '' && !entry.path) fail('must specify one of patch and path', where);
  if (inline !== '' && entry.path) fail("patch and path can't be set at the same time", where);
  if (inline !== '') return { text: inline, source: `[patch: ${JSON.stringify(inline)}]` };
  const { path, text } = loader.readFile(entry.path ?? '', `${field}.path`);
  return { text, source: path };
}

/** One `patches:` entry: strategic merge or JSON 6902, with or without a target selector. */
export function applyPatch(
  resmap: ResMap,
  entry: PatchEntry,
  loader: KustLoader,
  field: string,
): void {
  const where = loader.where(field);
  const { text, source } = patchText(entry, loader, field);
  const parsed = parsePatch(text, source, where);
  const allowNameChange = entry.options?.allowNameChange === true;
  const allowKindChange = entry.options?.allowKindChange === true;
  const schemaFor = customSchemaOf(loader);

  if ('json' in parsed) {
    if (!entry.target) fail(`must specify a target for JSON patch ${source}`, where);
    for (const resource of selectResources(resmap.resources, entry.target, where)) {
      resource.storePreviousId();
      resource.object = applyJsonPatch(resource.object, parsed.json, {
        code: 'KustomizeFailed',
        source: `${where} (${source})`,
        maxBytes: loader.reader.limits.maxBytes,
      });
    }
    return;
  }
  if (entry.target) {
    const [patch, extra] = parsed.sm;
    if (extra) {
      fail('multiple strategic merge patches in one entry cannot have a target', where);
    }
    if (!patch) return;
    for (const resource of selectResources(resmap.resources, entry.target, where)) {
      const options = { allowNameChange, allowKindChange, viaCopy: true, schemaFor };
      applySmPatch(resource, patch.object, options, where);
    }
  } else {
    for (const patch of parsed.sm) {
      const target = resmap.getByIdForPatch(patch.orgId(), where);
      applySmPatch(target, patch.object, { allowNameChange, allowKindChange, schemaFor }, where);
    }
  }
  resmap.dropEmpties();
}

/** One `patchesJson6902:` entry: JSON (or YAML) operations applied to the selected objects. */
export function applyPatchJson6902(
  resmap: ResMap,
  entry: PatchEntry,
  loader: KustLoader,
  field: string,
): void {
  const where = loader.where(field);
  if (!entry.target?.name) fail('must specify the target name', where);
  const { text, source } = patchText(entry, loader, field);
  const operations = parseYamlDocument(text, source, 'kustomization');
  if (!Array.isArray(operations) || !operations.every(isJsonObject)) {
    fail(`${source} is not a list of JSON patch operations`, where);
  }
  if (operations.length === 0) fail(`patch appears to be empty: ${source}`, where);
  for (const resource of selectResources(resmap.resources, entry.target ?? {}, where)) {
    resource.object = applyJsonPatch(resource.object, operations, {
      code: 'KustomizeFailed',
      source: `${where} (${source})`,
      maxBytes: loader.reader.limits.maxBytes,
    });
  }
}
