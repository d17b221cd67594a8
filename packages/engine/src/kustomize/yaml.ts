import {
  isMap,
  isScalar,
  isSeq,
  parseAllDocuments,
  Scalar,
  visit,
  type Document,
  type ScalarTag,
} from 'yaml';
import { EngineError } from '../errors.ts';
import { DEFAULT_RENDER_LIMITS } from '../render/limits.ts';
import { assertNestingWithin } from '../render/parse-yaml.ts';

/**
 * kustomize reads two kinds of YAML with two different libraries, and the difference shows in
 * the output: resources and strategic merge patches go through go-yaml v3 (YAML 1.2-like, but
 * `0644` is octal, `1_000` is 1000 and dates become RFC 3339 strings), while kustomization files
 * and JSON patches go through sigs.k8s.io/yaml, which is YAML 1.1 (`yes` is true).
 */

// Bounds the "billion laughs" expansion of aliases.
const MAX_ALIAS_COUNT = 100;

const pad = (value: string) => value.padStart(2, '0');

/** Go formats a time as RFC 3339 with the fraction's trailing zeros dropped and "Z" for UTC. */
function rfc3339(date: string, time: string, fraction: string | undefined, zone: string): string {
  const digits = (fraction ?? '').replace(/^\./, '').replace(/0+$/, '');
  const utc = zone === 'Z' || zone === 'z' || /^[-+]0?0(:00)?$/.test(zone);
  return `${date}T${time}${digits ? `.${digits}` : ''}${utc ? 'Z' : zone}`;
}

const TIMESTAMP =
  /^(\d{4})-(\d\d?)-(\d\d?)(?:(?:[Tt](\d\d?):(\d\d?):(\d\d?)(\.\d+)?(Z|[-+]\d\d:\d\d))|(?: (\d\d?):(\d\d?):(\d\d?)(\.\d+)?))?$/;

const timestampAsString: ScalarTag = {
  identify: () => false,
  default: true,
  tag: 'tag:yaml.org,2002:timestamp',
  test: TIMESTAMP,
  resolve(text) {
    const m = TIMESTAMP.exec(text);
    if (!m) return text;
    const date = `${m[1]}-${pad(m[2] ?? '')}-${pad(m[3] ?? '')}`;
    const [hour, minute, second] = m[4] !== undefined ? [m[4], m[5], m[6]] : [m[9], m[10], m[11]];
    if (hour === undefined) return `${date}T00:00:00Z`;
    const time = `${pad(hour)}:${pad(minute ?? '')}:${pad(second ?? '')}`;
    return rfc3339(date, time, m[7] ?? m[12], m[8] ?? 'Z');
  },
};

// -0 would not equal 0 for the callers' deep equality; Go has no -0 integer either.
const signed = (sign: number, value: number) => (value === 0 ? 0 : sign * value);

// Go's strconv.ParseInt(text, 0, 64) after removing underscores: 0x, 0o, 0b and a leading 0.
const GO_INT = /^[-+]?(?:0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|[0-9][0-9_]*)$/;

const goInt: ScalarTag = {
  identify: () => false,
  default: true,
  tag: 'tag:yaml.org,2002:int',
  test: GO_INT,
  resolve(text) {
    const plain = text.replaceAll('_', '');
    const negative = plain.startsWith('-');
    const body = plain.replace(/^[-+]/, '');
    const sign = negative ? -1 : 1;
    const prefixed = /^0([xXoObB])(.*)$/.exec(body);
    if (prefixed) {
      const radix = { x: 16, o: 8, b: 2 }[(prefixed[1] ?? 'x').toLowerCase() as 'x' | 'o' | 'b'];
      return signed(sign, parseInt(prefixed[2] ?? '', radix));
    }
    // A leading 0 makes Go read octal; when that fails ("09") the float parse takes it.
    if (/^0[0-7]+$/.test(body)) return signed(sign, parseInt(body, 8));
    return signed(sign, Number(body));
  },
};

const goFloat: ScalarTag = {
  identify: () => false,
  default: true,
  tag: 'tag:yaml.org,2002:float',
  test: /^[-+]?(?:\.[0-9_]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9_]+)?$/,
  resolve: (text) => Number(text.replaceAll('_', '')),
};

export type YamlFlavor = 'resource' | 'kustomization';

/**
 * go-yaml ends a `|` or `>` block scalar (default "clip" chomping) with a line break only when
 * the source has one; eemeli/yaml always adds it. At the very end of a file written without a
 * final newline the two differ, and the extra "\n" would change ConfigMap data and hashes.
 */
function clipBlockScalarAtEnd(document: Document.Parsed, text: string): void {
  if (text.endsWith('\n') || text.endsWith('\r')) return;
  visit(document, {
    Scalar(_key, node) {
      const isBlock = node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED;
      const end = node.range?.[1] ?? 0;
      if (isBlock && end >= text.length && typeof node.value === 'string') {
        node.value = node.value.replace(/\n$/, '');
      }
    },
  });
}

/**
 * kustomize reads `metadata.annotations` into a map of strings, and a YAML scalar becomes its
 * source text there: `5` is "5", `0x10` stays "0x10", `~` is "~", an empty value or a
 * collection is "". The items of a `*List` went through Go values and JSON first, so theirs
 * are the decoded value's text ("16", "null"). Labels keep their YAML type (kustomize sets
 * them entry by entry).
 */
function annotationsAsText(node: unknown, isListItem = false): void {
  if (!isMap(node)) return;
  const items = node.get('items', true);
  if (isSeq(items)) items.items.forEach((item) => annotationsAsText(item, true));
  const metadata = node.get('metadata', true);
  const annotations = isMap(metadata) ? metadata.get('annotations', true) : undefined;
  if (!isMap(annotations)) return;
  for (const pair of annotations.items) {
    pair.value = new Scalar(isListItem ? decodedText(pair.value) : sourceText(pair.value));
  }
}

function sourceText(node: unknown): string {
  return isScalar(node) && typeof node.source === 'string' ? node.source : '';
}

function decodedText(node: unknown): string {
  if (!isScalar(node)) return '';
  const value = node.value;
  if (value === null || value === undefined) return 'null';
  return typeof value === 'object' ? '' : String(value);
}

/**
 * Parses every document of a file; empty documents are dropped. `file` names the file in
 * error messages.
 */
export function parseYamlDocuments(text: string, file: string, flavor: YamlFlavor): unknown[] {
  // go-yaml and sigs.k8s.io/yaml bound nothing here; a worker must not run out of memory.
  assertNestingWithin(text, file, DEFAULT_RENDER_LIMITS.maxDepth);
  const documents = parseAllDocuments(text, {
    ...(flavor === 'resource'
      ? { schema: 'core', customTags: (tags) => [timestampAsString, goInt, goFloat, ...tags] }
      : { version: '1.1' }),
    merge: true,
    // go-yaml v3 refuses a repeated key in a resource; sigs.k8s.io/yaml (kustomization files,
    // JSON patches) decodes into a Go map first, where the last one wins.
    uniqueKeys: flavor === 'resource',
  });
  const values: unknown[] = [];
  for (const document of Array.isArray(documents) ? documents : [documents]) {
    const [error] = document.errors;
    if (error) {
      const line = error.linePos?.[0].line;
      throw new EngineError(
        'KustomizeFailed',
        `${file}${line ? `:${line}` : ''}: invalid YAML: ${error.message.split('\n')[0]}`,
        file,
      );
    }
    clipBlockScalarAtEnd(document, text);
    if (flavor === 'resource') annotationsAsText(document.contents);
    let value: unknown;
    try {
      value = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (cause) {
      throw new EngineError(
        'KustomizeFailed',
        `${file}: invalid YAML: ${(cause as Error).message}`,
        file,
      );
    }
    if (value !== null && value !== undefined) values.push(value);
  }
  return values;
}

/** Parses a file that must hold exactly one YAML document (a kustomization, a JSON patch). */
export function parseYamlDocument(text: string, file: string, flavor: YamlFlavor): unknown {
  const [first, second] = parseYamlDocuments(text, file, flavor);
  if (second !== undefined) {
    throw new EngineError('KustomizeFailed', `${file}: expected one YAML document`, file);
  }
  return first ?? null;
}
