import { createHash } from 'node:crypto';
import { isJsonObject, type JsonObject, type JsonValue } from '../patch/json-value.ts';

/**
 * Go's encoding/json output for a decoded YAML value: map keys sorted, and <, >, &, U+2028
 * and U+2029 escaped. The hash suffix depends on these exact bytes.
 */
export function goJson(value: JsonValue): string {
  if (isJsonObject(value)) {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${goJson(key)}:${goJson(value[key] ?? null)}`);
    return `{${entries.join(',')}}`;
  }
  if (Array.isArray(value)) return `[${value.map(goJson).join(',')}]`;
  return JSON.stringify(value)
    .replaceAll('<', '\\u003c')
    .replaceAll('>', '\\u003e')
    .replaceAll('&', '\\u0026')
    .replaceAll('\u2028', '\\u2028')
    .replaceAll('\u2029', '\\u2029');
}

/** kustomize's 10-character suffix: the sha256 hex, with the letters vowels could spell swapped. */
function encode(hex: string): string {
  const swaps: Record<string, string> = { '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' };
  return [...hex.slice(0, 10)].map((char) => swaps[char] ?? char).join('');
}

function field(object: JsonObject, name: string): JsonValue {
  const value = object[name];
  if (value === undefined || value === null) return '';
  return isJsonObject(value) ? value : String(value);
}

/**
 * The content hash kustomize appends to a generated ConfigMap's or Secret's name: over the
 * kind and the data (and type for a Secret), not over labels or annotations. The name is
 * always empty in it: kustomize looks it up as one field literally called "metadata/name".
 */
export function contentHash(object: JsonObject): string {
  const encoded: JsonObject = { kind: String(object.kind), name: '' };
  if (object.kind === 'Secret') {
    encoded.type = field(object, 'type');
    encoded.data = field(object, 'data');
    if (isJsonObject(object.stringData)) encoded.stringData = object.stringData;
  } else {
    encoded.data = field(object, 'data');
    if (isJsonObject(object.binaryData)) encoded.binaryData = object.binaryData;
  }
  return encode(createHash('sha256').update(goJson(encoded)).digest('hex'));
}
