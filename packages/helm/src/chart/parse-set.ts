import { isPlainObject } from '../template/values.ts';
import { ChartError } from './errors.ts';

type Values = Record<string, unknown>;

/** strvals' typed values: true/false/null (any case), int64 without a leading zero, else a string. */
function typedValue(raw: string, isStringOnly: boolean): unknown {
  if (isStringOnly) return raw;
  if (raw.toLowerCase() === 'true') return true;
  if (raw.toLowerCase() === 'false') return false;
  if (raw.toLowerCase() === 'null') return null;
  if (/^[+-]?\d+$/.test(raw) && !(raw.length > 1 && raw.startsWith('0'))) {
    const n = BigInt(raw);
    if (n >= -(2n ** 63n) && n < 2n ** 63n) return n;
  }
  return raw;
}

interface Segment {
  key: string;
  indexes: number[];
}

/** Splits a --set argument into top-level `key=value` items (commas inside `{...}` kept). */
function splitItems(input: string): string[] {
  const items: string[] = [];
  let current = '';
  let depth = 0;
  for (let i = 0; i < input.length; i++) {
    const ch = input[i] ?? '';
    if (ch === '\\' && i + 1 < input.length) {
      current += ch + (input[++i] ?? '');
      continue;
    }
    if (ch === '{') depth++;
    if (ch === '}') depth = Math.max(0, depth - 1);
    if (ch === ',' && depth === 0) {
      items.push(current);
      current = '';
      continue;
    }
    current += ch;
  }
  items.push(current);
  return items.filter((item) => item !== '');
}

function unescape(s: string): string {
  return s.replace(/\\(.)/g, '$1');
}

function parseKey(raw: string, whole: string): Segment[] {
  const segments: Segment[] = [];
  let key = '';
  let indexes: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i] ?? '';
    if (ch === '\\' && i + 1 < raw.length) {
      key += raw[++i];
    } else if (ch === '.') {
      segments.push({ key, indexes });
      key = '';
      indexes = [];
    } else if (ch === '[') {
      const end = raw.indexOf(']', i);
      const index = Number(raw.slice(i + 1, end));
      if (end < 0 || !Number.isInteger(index) || index < 0) {
        throw new ChartError(`--set ${whole}: invalid list index in key "${raw}"`);
      }
      if (index > 65536)
        throw new ChartError(
          `--set ${whole}: index of ${index} is greater than maximum supported index of 65536`,
        );
      indexes.push(index);
      i = end;
    } else key += ch;
  }
  segments.push({ key, indexes });
  if (segments.some((s) => s.key === '' && s.indexes.length === 0))
    throw new ChartError(`--set ${whole}: key "${raw}" has no name`);
  return segments;
}

function setIn(target: Values, segments: Segment[], value: unknown): void {
  let container: Values | unknown[] = target;
  let slot: string | number = '';
  const steps: (string | number)[] = [];
  for (const segment of segments) {
    if (segment.key !== '') steps.push(segment.key);
    steps.push(...segment.indexes);
  }
  for (let i = 0; i < steps.length; i++) {
    slot = steps[i] ?? '';
    const isLast = i === steps.length - 1;
    const nextIsIndex = typeof steps[i + 1] === 'number';
    if (isLast) break;
    const existing: unknown = Array.isArray(container)
      ? container[slot as number]
      : container[slot as string];
    let next: Values | unknown[];
    if (nextIsIndex) next = Array.isArray(existing) ? existing : [];
    else next = isPlainObject(existing) ? existing : {};
    if (Array.isArray(container)) {
      while (container.length < (slot as number)) container.push(null);
      container[slot as number] = next;
    } else container[slot as string] = next;
    container = next;
  }
  if (Array.isArray(container)) {
    while (container.length < (slot as number)) container.push(null);
    container[slot as number] = value;
  } else container[slot as string] = value;
}

/**
 * Helm's strvals.ParseInto (`--set` and `--set-string`): `a.b=c`, lists `a[0]=x`, several pairs
 * separated by commas, `{x,y}` list values, backslash escapes.
 */
export function parseSet(input: string, into: Values, isStringOnly = false): Values {
  for (const item of splitItems(input)) {
    let eq = -1;
    for (let i = 0; i < item.length; i++) {
      if (item[i] === '\\') {
        i++;
        continue;
      }
      if (item[i] === '=') {
        eq = i;
        break;
      }
    }
    if (eq < 0) throw new ChartError(`failed parsing --set data: key "${item}" has no value`);
    const segments = parseKey(item.slice(0, eq), input);
    const rawValue = item.slice(eq + 1);
    let value: unknown;
    if (rawValue.startsWith('{') && rawValue.endsWith('}')) {
      value = splitItems(rawValue.slice(1, -1)).map((v) => typedValue(unescape(v), isStringOnly));
    } else value = typedValue(unescape(rawValue), isStringOnly);
    setIn(into, segments, value);
  }
  return into;
}
