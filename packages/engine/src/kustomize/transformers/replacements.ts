import { parse } from 'yaml';
import { z } from 'zod';
import { EngineError } from '../../errors.ts';
import {
  cloneJson,
  isJsonObject,
  type JsonObject,
  type JsonValue,
} from '../../patch/json-value.ts';
import { foldFieldNames } from '../field-names.ts';
import type { KustLoader } from '../loader.ts';
import type { ResMap } from '../res-map.ts';
import {
  effectiveNamespace,
  formatId,
  gvkSelected,
  isClusterScoped,
  type ResId,
  type Resource,
} from '../resource.ts';
import { matchesSelectorString } from '../selector.ts';
import { parseYamlDocument } from '../yaml.ts';

const text = z.string();

const resIdFields = {
  group: text.optional(),
  version: text.optional(),
  kind: text.optional(),
  name: text.optional(),
  namespace: text.optional(),
};

const fieldOptions = z.strictObject({
  delimiter: text.optional(),
  index: z.number().int().optional(),
  encoding: text.optional(),
  create: z.boolean().optional(),
});

const selector = z.strictObject({
  ...resIdFields,
  labelSelector: text.optional(),
  annotationSelector: text.optional(),
});

const replacementFields = {
  source: z
    .strictObject({ ...resIdFields, fieldPath: text.optional(), options: fieldOptions.optional() })
    .optional(),
  targets: z
    .array(
      z.strictObject({
        select: selector.optional(),
        reject: z.array(selector).optional(),
        fieldPaths: z.array(text).optional(),
        options: fieldOptions.optional(),
      }),
    )
    .optional(),
};

/** A `replacements:` entry of a kustomization: inline, or `path:` to a file of them. */
export const replacementEntry = z.strictObject({ path: text.optional(), ...replacementFields });

// The plugin reads a replacements file with plain yaml.Unmarshal: unknown fields are ignored.
const replacementInFile = z.object(replacementFields);

export type ReplacementEntry = z.infer<typeof replacementEntry>;
type Replacement = z.infer<typeof replacementInFile>;
type Selector = z.infer<typeof selector>;
type FieldOptions = z.infer<typeof fieldOptions>;

function fail(message: string, where: string): never {
  throw new EngineError('KustomizeFailed', `${where}: ${message}`, where);
}

/** kyaml's SmarterPathSplitter: `.` separates, `\.` escapes, `[a.b=c]` stays whole. */
export function splitReplacementPath(path: string): string[] {
  let parts = path.split('.');
  if (parts.length > 1 && parts[0] === '') parts = parts.slice(1);
  const escaped: string[] = [];
  for (const part of parts) {
    const last = escaped.length - 1;
    if (last >= 0 && escaped[last]?.endsWith('\\')) {
      escaped[last] = `${escaped[last].slice(0, -1)}.${part}`;
    } else escaped.push(part);
  }
  const result: string[] = [];
  for (let i = 0; i < escaped.length; i++) {
    const part = escaped[i] ?? '';
    if (!part.startsWith('[') || part.endsWith(']')) {
      result.push(part);
      continue;
    }
    const bracketed = [part];
    while (i < escaped.length - 1) {
      i++;
      const next = escaped[i] ?? '';
      bracketed.push(next);
      if (next.endsWith(']')) break;
    }
    const joined = bracketed.join('.');
    result.push(joined.includes('=') ? joined : joined.replace(/^\[+|\]+$/g, ''));
  }
  return result;
}

const isIndex = (part: string) => /^\d+$/.test(part);
const isListMatch = (part: string) => part.startsWith('[') && part.endsWith(']');

function splitListMatch(part: string, where: string): [field: string, value: string] {
  const inner = part.slice(1, -1);
  const equals = inner.indexOf('=');
  if (equals < 0) {
    fail('list path element must contain fieldName=fieldValue for element to match', where);
  }
  return [inner.slice(0, equals), inner.slice(equals + 1)];
}

/** The text of a scalar as go-yaml holds it; collections have none. */
function scalarText(value: JsonValue | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return '';
  return String(value);
}

/** kyaml's Lookup (the source side): fields, `[field=value]` (exact) and list indexes. */
function lookup(value: JsonValue, path: string[], where: string): JsonValue | undefined {
  let node: JsonValue | undefined = value;
  for (const part of path) {
    if (node === undefined || node === null) return undefined;
    if (Array.isArray(node)) {
      if (isIndex(part)) {
        node = node[Number(part)];
        continue;
      }
      if (!isListMatch(part)) return undefined;
      const [field, wanted] = splitListMatch(part, where);
      node = node.find((element) =>
        field === ''
          ? scalarText(element) === wanted
          : isJsonObject(element) && scalarText(element[field]) === wanted,
      );
      continue;
    }
    if (!isJsonObject(node)) return undefined;
    node = node[part];
  }
  return node;
}

function isNilOrEmpty(value: JsonValue | undefined): boolean {
  if (value === undefined || value === null) return true;
  if (Array.isArray(value)) return value.length === 0;
  return isJsonObject(value) && Object.keys(value).length === 0;
}

interface TargetSlot {
  container: JsonObject | JsonValue[];
  key: string | number;
}

type CreateKind = 'scalar' | 'map' | 'list' | undefined;

function kindOf(value: JsonValue): Exclude<CreateKind, undefined> {
  if (Array.isArray(value)) return 'list';
  return isJsonObject(value) ? 'map' : 'scalar';
}

/** What kyaml creates for a missing path part, given the part after it. */
function emptyNode(next: string | undefined, leaf: Exclude<CreateKind, undefined>): JsonValue {
  const kind = next === undefined ? leaf : isListMatch(next) || isIndex(next) ? 'list' : 'map';
  if (kind === 'list') return [];
  return kind === 'map' ? {} : null;
}

function unanchored(pattern: string, where: string): RegExp {
  try {
    return new RegExp(pattern);
  } catch {
    return fail(`invalid regex "${pattern}" in a field path`, where);
  }
}

/**
 * kyaml's PathMatcher (the target side): `*` visits every list element, `[field=regex]`
 * matches elements whose field matches the regex (unanchored, as kyaml's), a number is a list
 * index; with create, missing fields and list elements are added on the way.
 */
function matchTargets(
  slot: TargetSlot,
  path: string[],
  create: CreateKind,
  found: TargetSlot[],
  where: string,
): void {
  const node = Array.isArray(slot.container)
    ? slot.container[slot.key as number]
    : slot.container[slot.key as string];
  const [part, ...rest] = path;
  if (part === undefined) {
    found.push(slot);
    return;
  }
  if (node === undefined || node === null) return;
  if (isIndex(part) || isListMatch(part) || part === '*') {
    if (!Array.isArray(node)) {
      fail(`wrong node kind: expected a list at "${part}" but got a ${kindOf(node)}`, where);
    }
    if (part === '*') {
      node.forEach((_, i) => matchTargets({ container: node, key: i }, rest, create, found, where));
      return;
    }
    if (isIndex(part)) {
      const index = Number(part);
      if (index === node.length && create) node.push(emptyNode(rest[0], create));
      if (node.length < index + 1) {
        fail(`index ${index} specified but only ${node.length} elements found`, where);
      }
      matchTargets({ container: node, key: index }, rest, create, found, where);
      return;
    }
    const [field, pattern] = splitListMatch(part, where);
    const regex = unanchored(pattern, where);
    const matching = node.flatMap((element, i) => {
      const value = field === '' ? element : isJsonObject(element) ? element[field] : undefined;
      if (value === undefined || value === null) return [];
      return regex.test(scalarText(value).trim()) ? [i] : [];
    });
    if (matching.length === 0 && create) {
      node.push(field === '' ? pattern : { [field]: pattern });
      matching.push(node.length - 1);
    }
    for (const i of matching) matchTargets({ container: node, key: i }, rest, create, found, where);
    return;
  }
  if (!isJsonObject(node)) return;
  if (node[part] === undefined) {
    if (!create) return;
    node[part] = emptyNode(rest[0], create);
  }
  matchTargets({ container: node, key: part }, rest, create, found, where);
}

/** A scalar written where no string was: go-yaml re-reads the text (a created field too). */
function untypedScalar(value: string): JsonValue {
  if (value === '') return '';
  const parsed: unknown = parse(value, { schema: 'core' });
  return parsed === null || typeof parsed !== 'object' ? (parsed as JsonValue) : value;
}

function setTarget(
  slot: TargetSlot,
  source: JsonValue,
  options: FieldOptions | undefined,
  where: string,
) {
  const current = Array.isArray(slot.container)
    ? slot.container[slot.key as number]
    : slot.container[slot.key as string];
  const isScalar = current === null || current === undefined || typeof current !== 'object';
  let value = cloneJson(source);
  if (options?.delimiter) {
    if (!isScalar) fail('delimiter option can only be used with scalar nodes', where);
    const parts = scalarText(current).split(options.delimiter);
    const index = options.index ?? 0;
    const piece = scalarText(source);
    if (index < 0) parts.unshift(piece);
    else if (index >= parts.length) parts.push(piece);
    else parts[index] = piece;
    value = parts.join(options.delimiter);
  }
  // kyaml copies only a scalar's text into a scalar target and keeps the target's type.
  if (isScalar) {
    const textValue = scalarText(value);
    value = typeof current === 'string' ? textValue : untypedScalar(textValue);
  }
  if (Array.isArray(slot.container)) slot.container[slot.key as number] = value;
  else slot.container[slot.key as string] = value;
}

function isSelectedBy(id: ResId, wanted: Selector): boolean {
  const gvk = { group: wanted.group ?? '', version: wanted.version ?? '', kind: wanted.kind ?? '' };
  if (wanted.name && wanted.name !== id.name) return false;
  if (wanted.namespace) {
    const selectorId = {
      ...gvk,
      name: '',
      namespace: wanted.namespace,
      isClusterScoped: isClusterScoped(gvk),
    };
    if (effectiveNamespace(selectorId) !== effectiveNamespace(id)) return false;
  }
  return gvkSelected(id, gvk);
}

const hasResId = (s: Selector) => Boolean(s.group || s.version || s.kind || s.name || s.namespace);

function matchesMaps(resource: Resource, s: Selector, where: string): boolean {
  return (
    matchesSelectorString(s.labelSelector, resource.stringMap('labels'), where) &&
    matchesSelectorString(s.annotationSelector, resource.stringMap('annotations'), where)
  );
}

function describeSelector(s: Selector & { fieldPath?: string | undefined }): string {
  const id = formatId({
    group: s.group ?? '',
    version: s.version ?? '',
    kind: s.kind ?? '',
    name: s.name ?? '',
    namespace: s.namespace ?? '',
    isClusterScoped: false,
  });
  return s.fieldPath ? `${id}:${s.fieldPath}` : id;
}

function sourceValue(resmap: ResMap, replacement: Replacement, where: string): JsonValue {
  const source = replacement.source ?? {};
  const matches = resmap.resources.filter((resource) =>
    resource.allIds().some((id) => isSelectedBy(id, source)),
  );
  if (matches.length > 1) fail(`multiple matches for selector ${describeSelector(source)}`, where);
  const [match] = matches;
  if (!match) return fail(`nothing selected by ${describeSelector(source)}`, where);
  const fieldPath = source.fieldPath || 'metadata.name';
  const value = lookup(match.object, splitReplacementPath(fieldPath), where);
  if (value === undefined || isNilOrEmpty(value)) {
    fail(
      `fieldPath \`${fieldPath}\` is missing for replacement source ${describeSelector({ ...source, fieldPath: '' })}`,
      where,
    );
  }
  const options = source.options;
  if (!options?.delimiter) return value;
  if (typeof value === 'object') fail('delimiter option can only be used with scalar nodes', where);
  const parts = scalarText(value).split(options.delimiter);
  const index = options.index ?? 0;
  if (index < 0 || index >= parts.length) {
    fail(`options.index ${index} is out of bounds for value ${scalarText(value)}`, where);
  }
  return parts[index] ?? '';
}

/** Annotations hold strings; kustomize writes a replaced one back as text. */
function annotationsAsStrings(resource: Resource): void {
  const annotations = isJsonObject(resource.object.metadata)
    ? resource.object.metadata.annotations
    : undefined;
  if (!isJsonObject(annotations)) return;
  for (const [key, value] of Object.entries(annotations)) {
    if (typeof value !== 'string') annotations[key] = scalarText(value);
  }
}

function replace(resmap: ResMap, replacement: Replacement, where: string): void {
  if (!replacement.source || !replacement.targets) {
    fail('replacements must specify a source and at least one target', where);
  }
  const value = sourceValue(resmap, replacement, where);
  for (const target of replacement.targets ?? []) {
    const select = target.select;
    if (!select) return fail('target must specify resources to select', where);
    const fieldPaths = target.fieldPaths?.length ? target.fieldPaths : ['metadata.name'];
    const rejects = target.reject ?? [];
    for (const resource of resmap.resources) {
      if (!matchesMaps(resource, select, where)) continue;
      const rejectedByMaps = rejects.some(
        (reject) =>
          (reject.labelSelector || reject.annotationSelector) &&
          matchesMaps(resource, reject, where),
      );
      if (rejectedByMaps) continue;
      const ids = resource.allIds();
      const rejectedById = rejects.some(
        (reject) => hasResId(reject) && ids.some((id) => isSelectedBy(id, reject)),
      );
      if (rejectedById || !ids.some((id) => isSelectedBy(id, select))) continue;
      const create = target.options?.create ? kindOf(value) : undefined;
      for (const fieldPath of fieldPaths) {
        const found: TargetSlot[] = [];
        const root = { container: [resource.object] as JsonValue[], key: 0 };
        matchTargets(root, splitReplacementPath(fieldPath), create, found, where);
        if (found.length === 0) {
          fail(
            `unable to find ${create ? 'or create ' : ''}field "${fieldPath}" in replacement target ${formatId(resource.curId())}`,
            where,
          );
        }
        for (const slot of found) setTarget(slot, value, target.options, where);
      }
      annotationsAsStrings(resource);
    }
  }
}

function loadReplacements(
  entry: ReplacementEntry,
  loader: KustLoader,
  field: string,
): Replacement[] {
  const where = loader.where(field);
  if (entry.path === undefined || entry.path === '') return [entry];
  if (entry.source || entry.targets?.length) {
    fail('cannot specify both path and inline replacement', where);
  }
  const { path, text: content } = loader.readFile(entry.path, `${field}.path`);
  const raw = parseYamlDocument(content, path, 'kustomization');
  const items = Array.isArray(raw) ? raw : isJsonObject(raw) ? [raw] : undefined;
  if (!items)
    return fail(`${path}: unsupported replacement type encountered within replacement path`, where);
  return items.map((item, i) => {
    const parsed = replacementInFile.safeParse(foldFieldNames(item, replacementInFile));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return fail(
        `${path}: replacement ${i}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
        where,
      );
    }
    return parsed.data;
  });
}

/**
 * kustomize's ReplacementTransformer, the last of a kustomization's builtin transformers:
 * each replacement copies one field of one object (the source) into fields of the objects
 * its targets select.
 */
export function applyReplacements(
  resmap: ResMap,
  entries: readonly ReplacementEntry[],
  loader: KustLoader,
): void {
  entries.forEach((entry, i) => {
    const field = `replacements[${i}]`;
    for (const replacement of loadReplacements(entry, loader, field)) {
      replace(resmap, replacement, loader.where(field));
    }
  });
}
