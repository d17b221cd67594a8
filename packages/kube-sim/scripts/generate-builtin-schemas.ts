import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BUILTIN_TYPES } from '../src/resource-types.ts';

/*
 * Regenerates src/generated/builtin-openapi.json, the compact field table server-side apply
 * needs (which fields each built-in type declares, which lists are atomic, sets or maps by
 * which keys, which maps are atomic), from the OpenAPI v2 document of a v1.20 kube-apiserver:
 *
 *   curl --cacert ca.crt -H "Authorization: Bearer $TOKEN" https://127.0.0.1:PORT/openapi/v2 > openapi.json
 *   npx tsx packages/kube-sim/scripts/generate-builtin-schemas.ts openapi.json
 *
 * Only the definitions reachable from the kinds kube-sim serves are kept.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Definition = { [key: string]: Json };

/** Compact field types: 's' scalar, '#Name' a definition, [kind, item, keys?, mergeKey?] lists and maps. */
type Compact = string | Compact[];

function isRecord(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function shortName(name: string): string {
  return name
    .replace('io.k8s.api.', '')
    .replace('io.k8s.apimachinery.pkg.apis.meta.', 'meta.')
    .replace('io.k8s.apimachinery.pkg.', '')
    .replace('io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.', 'apiext.');
}

function refOf(property: Definition): string | undefined {
  const ref = property.$ref;
  return typeof ref === 'string' ? ref.slice(ref.lastIndexOf('/') + 1) : undefined;
}

function compact(property: Definition): Compact {
  const ref = refOf(property);
  if (ref) return `#${shortName(ref)}`;
  if (property.type === 'array') {
    const item = compact(isRecord(property.items) ? property.items : {});
    const listType = property['x-kubernetes-list-type'];
    const keys = Array.isArray(property['x-kubernetes-list-map-keys'])
      ? property['x-kubernetes-list-map-keys'].map(String)
      : [];
    const mergeKey =
      typeof property['x-kubernetes-patch-merge-key'] === 'string'
        ? property['x-kubernetes-patch-merge-key']
        : undefined;
    const isMergeStrategy = String(property['x-kubernetes-patch-strategy'] ?? '').includes('merge');
    if (listType === 'map')
      return ['map', item, keys, ...(mergeKey && mergeKey !== keys[0] ? [mergeKey] : [])];
    if (listType === 'set') return ['set', item];
    if (listType === 'atomic') return ['atomic', item];
    if (isMergeStrategy && mergeKey) return ['map', item, [mergeKey]];
    if (isMergeStrategy) return ['set', item];
    return ['atomic', item];
  }
  if (property.type === 'object' && isRecord(property.additionalProperties))
    return ['dict', compact(property.additionalProperties)];
  return property.type === 'object' ? 'o' : 's';
}

function referencedNames(value: Json | undefined, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) referencedNames(item, found);
  if (isRecord(value)) {
    const ref = refOf(value);
    if (ref) found.push(ref);
    for (const child of Object.values(value)) referencedNames(child, found);
  }
  return found;
}

function main(): void {
  const [input] = process.argv.slice(2);
  if (!input) throw new Error('usage: generate-builtin-schemas.ts <openapi-v2.json>');
  const document = JSON.parse(readFileSync(input, 'utf8')) as {
    definitions: Record<string, Definition>;
  };
  const definitions = document.definitions;
  const kinds: Record<string, string> = {};
  for (const [name, definition] of Object.entries(definitions)) {
    const gvks = definition['x-kubernetes-group-version-kind'];
    for (const gvk of Array.isArray(gvks) ? gvks : []) {
      if (!isRecord(gvk)) continue;
      const key = `${String(gvk.group)}/${String(gvk.version)}/${String(gvk.kind)}`;
      const isServed = BUILTIN_TYPES.some(
        (type) => `${type.group}/${type.version}/${type.kind}` === key,
      );
      if (isServed) kinds[key] = name;
    }
  }
  const reachable = new Set<string>();
  const pending = Object.values(kinds);
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (reachable.has(name) || !definitions[name]) continue;
    reachable.add(name);
    pending.push(...referencedNames(definitions[name]));
  }
  const out: Record<string, Json> = {};
  for (const name of [...reachable].sort()) {
    const definition = definitions[name] as Definition;
    const isAtomic = definition['x-kubernetes-map-type'] === 'atomic';
    const entry: { [key: string]: Json } = {};
    if (isRecord(definition.properties)) {
      const fields: { [key: string]: Json } = {};
      for (const [field, property] of Object.entries(definition.properties)) {
        if (isRecord(property)) fields[field] = compact(property);
      }
      entry.f = fields;
    } else {
      entry.t = typeof definition.type === 'string' ? definition.type : 'untyped';
    }
    if (isAtomic) entry.a = 1;
    out[shortName(name)] = entry;
  }
  const shortKinds = Object.fromEntries(
    Object.entries(kinds).map(([key, name]) => [key, shortName(name)]),
  );
  const target = fileURLToPath(new URL('../src/generated/builtin-openapi.json', import.meta.url));
  writeFileSync(target, `${JSON.stringify({ kinds: shortKinds, definitions: out })}\n`);
  console.log(
    `wrote ${Object.keys(shortKinds).length} kinds, ${reachable.size} definitions to ${target}`,
  );
}

main();
