import { TemplateFunctionError } from '../template/errors.ts';
import { isPlainObject, toGoKind } from '../template/values.ts';
import { formatValue } from '../template/fmt.ts';

/** A function in a template's function map: Go values in, a Go value out (see values.ts). */
export type TemplateFunction = (...args: unknown[]) => unknown;

/** Sprig's strval: strings as they are, bytes decoded, everything else through `%v`. */
export function strval(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return Buffer.from(v).toString('utf8');
  if (v instanceof Error) return v.message;
  return formatValue(v);
}

/** cast.ToInt64 as Sprig uses it: lenient, 0 when the value cannot be read as a number. */
export function toInt64(v: unknown): bigint {
  switch (typeof v) {
    case 'bigint':
      return v;
    case 'number':
      return Number.isFinite(v) ? BigInt(Math.trunc(v)) : 0n;
    case 'boolean':
      return v ? 1n : 0n;
    case 'string': {
      // cast trims a zero decimal part ("3.0") and reads 0x/0o/0b prefixes like strconv base 0.
      const s = v.trim().replace(/\.0*$/, '');
      if (!/^[+-]?(0[xX][0-9a-fA-F_]+|0[oO]?[0-7_]+|0[bB][01_]+|[0-9_]+)$/.test(s)) return 0n;
      const negative = s.startsWith('-');
      const digits = s.replace(/^[+-]/, '').replace(/_/g, '');
      try {
        const parsed = /^0[0-7]+$/.test(digits) ? BigInt(`0o${digits.slice(1)}`) : BigInt(digits);
        return negative ? -parsed : parsed;
      } catch {
        return 0n;
      }
    }
    default:
      return 0n;
  }
}

/** cast.ToFloat64: lenient, 0 when the value cannot be read as a number. */
export function toFloat64(v: unknown): number {
  switch (typeof v) {
    case 'number':
      return v;
    case 'bigint':
      return Number(v);
    case 'boolean':
      return v ? 1 : 0;
    case 'string': {
      const s = v.trim();
      if (
        s === '' ||
        !/^[+-]?(\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?|0[xX][0-9a-fA-F]+|[Ii]nf(inity)?|NaN)$/.test(
          s,
        )
      ) {
        return 0;
      }
      return Number(s);
    }
    default:
      return 0;
  }
}

/** A Go `int` parameter: template literals are bigint; Go refuses a float64 there. */
export function intArg(name: string, v: unknown): number {
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  throw new TemplateFunctionError(
    `wrong type for value; expected int; got ${toGoKind(v) === 'nil' ? '<nil>' : toGoKind(v)} (${name})`,
  );
}

/** Sprig's list functions accept any slice; nil reads as an empty list where Sprig allows it. */
export function listArg(name: string, v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (v === null || v === undefined) return [];
  throw new TemplateFunctionError(`Cannot find ${name} on type ${toGoKind(v)}`);
}

export function mapArg(name: string, v: unknown): Record<string, unknown> {
  if (isPlainObject(v)) return v;
  throw new TemplateFunctionError(
    `wrong type for value; expected map[string]interface {}; got ${toGoKind(v)} (${name})`,
  );
}

/** Go's reflect.DeepEqual over the value model. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || a === undefined || b === null || b === undefined) {
    return (a === null || a === undefined) && (b === null || b === undefined);
  }
  if (typeof a !== typeof b) return false;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

/** Go's zero-value test (Sprig's `empty`): nil, false, 0, "" and empty slices and maps. */
export function isEmpty(v: unknown): boolean {
  switch (typeof v) {
    case 'undefined':
      return true;
    case 'boolean':
      return !v;
    case 'string':
      return v.length === 0;
    case 'number':
      return v === 0;
    case 'bigint':
      return v === 0n;
    case 'function':
      return false;
    case 'object':
      if (v === null) return true;
      if (Array.isArray(v)) return v.length === 0;
      if (v instanceof Uint8Array) return v.length === 0;
      if (isPlainObject(v)) return Object.keys(v).length === 0;
      return false;
    default:
      return false;
  }
}

/** copystructure.Copy for the value model: maps and slices copied, the rest shared. */
export function deepCopy<T>(v: T): T {
  if (Array.isArray(v)) return v.map((x: unknown) => deepCopy(x)) as T;
  if (isPlainObject(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = deepCopy(x);
    return out as T;
  }
  return v;
}
