import {
  Document,
  type DocumentOptions,
  isMap,
  isScalar,
  isSeq,
  parseAllDocuments,
  parseDocument,
  type ParseOptions,
  type SchemaOptions,
  type ToStringOptions,
} from 'yaml';
import { TemplateFunctionError } from '../template/errors.ts';
import { compareGoStrings, isPlainObject, sortedKeys } from '../template/values.ts';
import { formatFloat } from '../template/fmt.ts';
import type { TemplateFunction } from './convert.ts';

/**
 * YAML and JSON as Helm reads and writes them (sigs.k8s.io/yaml over go-yaml v2, encoding/json).
 *
 * Reading: YAML 1.1 scalars (yes/no/on/off are booleans), every number a float64, timestamps left
 * as strings, keys as strings. Writing: keys sorted bytewise, sequences not indented under their
 * key, strings quoted only where YAML 1.1 would read them as something else.
 */
const READ_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.1',
  merge: true,
  // go-yaml v2 reads timestamps as strings when the target is interface{}.
  customTags: (tags) =>
    tags.filter((t) =>
      typeof t === 'string' ? t !== 'timestamp' : t.tag !== 'tag:yaml.org,2002:timestamp',
    ),
};

const WRITE_OPTIONS: ToStringOptions = {
  indent: 2,
  indentSeq: false,
  lineWidth: 80,
  minContentWidth: 20,
  blockQuote: 'literal',
  defaultStringType: 'PLAIN',
  defaultKeyType: 'PLAIN',
  doubleQuotedMinMultiLineLength: 40,
  // go-yaml falls back to single quotes when a string cannot be plain ('[groups]', '*x').
  singleQuote: true,
  nullStr: 'null',
  trueStr: 'true',
  falseStr: 'false',
};

/** Converts what the YAML library produced to the value model (numbers float64, keys strings). */
function normalizeParsed(v: unknown): unknown {
  if (v instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of v) out[yamlKeyString(k)] = normalizeParsed(x);
    return out;
  }
  if (Array.isArray(v)) return v.map(normalizeParsed);
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (v instanceof Set) return Object.fromEntries([...v].map((k) => [yamlKeyString(k), null]));
  if (isPlainObject(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = normalizeParsed(x);
    return out;
  }
  return v;
}

function yamlKeyString(k: unknown): string {
  if (typeof k === 'string') return k;
  if (typeof k === 'number') return formatFloat(k, 'g', -1);
  if (k === null || k === undefined) return 'null';
  return String(k);
}

/** Parses one YAML document into Helm's value model; throws with go-yaml-like messages. */
export function parseYaml(text: string): unknown {
  // go-yaml's Unmarshal reads the first document of a stream and ignores the rest (an include
  // of a template ending in `---` is common before `fromYaml`).
  const docs = parseAllDocuments(text, { ...READ_OPTIONS, uniqueKeys: false, prettyErrors: false });
  const doc = Array.isArray(docs) ? docs[0] : docs;
  if (doc === undefined) return null;
  if (doc.errors.length > 0) {
    const error = doc.errors[0];
    const line = error?.linePos?.[0]?.line;
    throw new Error(
      `yaml: ${line ? `line ${line}: ` : ''}${error?.message.split('\n')[0] ?? 'invalid YAML'}`,
    );
  }
  return normalizeParsed(doc.toJS({ mapAsMap: true, maxAliasCount: 1000 }));
}

/** Parses a stream of YAML documents (fromYamlArray reads one document holding a list). */
export function parseYamlDocuments(text: string): unknown[] {
  return parseAllDocuments(text, { ...READ_OPTIONS, uniqueKeys: false }).map((doc) => {
    if ('errors' in doc && doc.errors.length > 0)
      throw new Error(`yaml: ${doc.errors[0]?.message.split('\n')[0]}`);
    return normalizeParsed(doc.toJS({ mapAsMap: true, maxAliasCount: 1000 }));
  });
}

/** What encoding/json makes of a value: the JSON-able tree that sigs.k8s.io/yaml then prints. */
export function toJsonable(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  switch (typeof v) {
    case 'bigint':
      return Number(v);
    case 'number':
      if (!Number.isFinite(v))
        throw new TemplateFunctionError(`json: unsupported value: ${formatFloat(v, 'g', -1)}`);
      return v;
    case 'function':
      throw new TemplateFunctionError('json: unsupported type: func()');
    case 'string':
    case 'boolean':
      return v;
    default:
      break;
  }
  if (Array.isArray(v)) return v.map(toJsonable);
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (v instanceof Date) return v.toISOString();
  const out: Record<string, unknown> = {};
  const entries = isPlainObject(v)
    ? sortedKeys(v).map((k) => [k, v[k]] as const)
    : Object.entries(v as Record<string, unknown>).filter(([, x]) => typeof x !== 'function');
  for (const [k, x] of entries) out[k] = toJsonable(x);
  return out;
}

/**
 * go-yaml's literal block for a multi-line string at the top of a document: `|`, `|-` or `|+`
 * by its final newlines, content indented by 2 (the YAML library would indent it by 0, which
 * breaks `{{ key }}: {{ toYaml .multiline }}`). Null when go-yaml would quote the string instead
 * (trailing spaces on a line, tabs and other non-printable characters).
 */
function topLevelLiteral(s: string): string | null {
  if (!s.includes('\n') || s.includes(' \n') || /^\s*$/.test(s)) return null;
  // go-yaml quotes strings holding non-printable characters (tabs included) instead.
  for (const ch of s) {
    const code = ch.charCodeAt(0);
    if ((code < 0x20 && code !== 0x0a) || code === 0x7f) return null;
  }
  const trailing = /\n*$/.exec(s)?.[0].length ?? 0;
  const chomp = trailing === 0 ? '-' : trailing === 1 ? '' : '+';
  const indicator = s.startsWith(' ') ? '2' : '';
  const body = trailing > 0 ? s.slice(0, -1) : s;
  const lines = body.split('\n').map((line) => (line === '' ? '' : `  ${line}`));
  return `|${indicator}${chomp}\n${lines.join('\n')}`;
}

/** Helm's toYaml: the YAML text without its final newline. */
export function toYaml(v: unknown): string {
  if (typeof v === 'string') {
    const literal = topLevelLiteral(v);
    if (literal !== null) return literal;
  }
  const doc = new Document(toJsonable(v), { version: '1.1' });
  sortMaps(doc.contents);
  return doc.toString(WRITE_OPTIONS).replace(/\n$/, '');
}

const MAYBE_NOT_A_STRING =
  /^$|^[-+.0-9~]|^(?:[yYnN]|yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL)$/;

/** go-yaml quotes a string with double quotes when, plain, it would read as another type. */
function readsAsOtherType(s: string): boolean {
  if (!MAYBE_NOT_A_STRING.test(s)) return false;
  try {
    return parseDocument(s, { version: '1.1' }).toJS() !== s;
  } catch {
    return false;
  }
}

function styleScalar(node: unknown): void {
  if (isScalar(node) && typeof node.value === 'string' && readsAsOtherType(node.value)) {
    node.type = 'QUOTE_DOUBLE';
  }
}

/** Sorts maps bytewise, as encoding/json does, and picks go-yaml's quoting for strings. */
function sortMaps(node: unknown): void {
  styleScalar(node);
  if (isMap(node)) {
    node.items.sort((a, b) =>
      compareGoStrings(
        String(isScalar(a.key) ? a.key.value : a.key),
        String(isScalar(b.key) ? b.key.value : b.key),
      ),
    );
    for (const pair of node.items) {
      styleScalar(pair.key);
      sortMaps(pair.value);
    }
  } else if (isSeq(node)) {
    for (const item of node.items) sortMaps(item);
  }
}

/** encoding/json's Marshal: sorted keys, HTML characters escaped unless asked otherwise. */
export function toGoJson(
  v: unknown,
  options: { isHtmlEscaped?: boolean; indent?: string } = {},
): string {
  const text = JSON.stringify(toJsonable(v), null, options.indent);
  const escaped = text.replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
  if (options.isHtmlEscaped === false) return escaped;
  return escaped.replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

/** A minimal TOML writer for toToml: tables of scalars, arrays and nested tables. */
function toToml(v: unknown): string {
  const lines: string[] = [];
  const scalar = (x: unknown): string => {
    if (typeof x === 'string') return JSON.stringify(x);
    if (typeof x === 'number' || typeof x === 'bigint' || typeof x === 'boolean') return String(x);
    if (Array.isArray(x)) return `[${x.map(scalar).join(', ')}]`;
    return '""';
  };
  const table = (m: Record<string, unknown>, prefix: string): void => {
    const keys = sortedKeys(m);
    for (const k of keys) if (!isPlainObject(m[k])) lines.push(`${k} = ${scalar(m[k])}`);
    for (const k of keys) {
      const child = m[k];
      if (isPlainObject(child)) {
        lines.push('', `[${prefix}${k}]`);
        table(child, `${prefix}${k}.`);
      }
    }
  };
  if (isPlainObject(v)) table(v, '');
  return `${lines.join('\n').replace(/^\n/, '')}\n`;
}

export function serializeFunctions(): Record<string, TemplateFunction> {
  const safe = (fn: () => string): string => {
    try {
      return fn();
    } catch {
      return '';
    }
  };
  return {
    toYaml: (v) => safe(() => toYaml(v)),
    mustToYaml: (v) => toYaml(v),
    toYamlPretty: (v) => safe(() => toYaml(v)),
    fromYaml: (s) => {
      try {
        const parsed = parseYaml(String(s ?? ''));
        return isPlainObject(parsed)
          ? parsed
          : parsed === null
            ? {}
            : {
                Error:
                  'error unmarshaling JSON: json: cannot unmarshal into Go value of type map[string]interface {}',
              };
      } catch (error) {
        return { Error: (error as Error).message };
      }
    },
    fromYamlArray: (s) => {
      try {
        const parsed = parseYaml(String(s ?? ''));
        return Array.isArray(parsed)
          ? parsed
          : parsed === null
            ? []
            : [
                `error unmarshaling JSON: json: cannot unmarshal object into Go value of type []interface {}`,
              ];
      } catch (error) {
        return [(error as Error).message];
      }
    },
    toJson: (v) => safe(() => toGoJson(v)),
    mustToJson: (v) => toGoJson(v),
    toRawJson: (v) => safe(() => toGoJson(v, { isHtmlEscaped: false })),
    mustToRawJson: (v) => toGoJson(v, { isHtmlEscaped: false }),
    toPrettyJson: (v) => safe(() => toGoJson(v, { indent: '  ' })),
    mustToPrettyJson: (v) => toGoJson(v, { indent: '  ' }),
    fromJson: (s) => {
      try {
        const parsed: unknown = JSON.parse(String(s ?? ''));
        return isPlainObject(parsed)
          ? parsed
          : { Error: 'json: cannot unmarshal into Go value of type map[string]interface {}' };
      } catch (error) {
        return { Error: (error as Error).message };
      }
    },
    mustFromJson: (s) => JSON.parse(String(s ?? '')) as unknown,
    fromJsonArray: (s) => {
      try {
        const parsed: unknown = JSON.parse(String(s ?? ''));
        return Array.isArray(parsed)
          ? parsed
          : ['json: cannot unmarshal object into Go value of type []interface {}'];
      } catch (error) {
        return [(error as Error).message];
      }
    },
    toToml: (v) => toToml(v),
  };
}
