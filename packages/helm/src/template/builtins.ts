/**
 * text/template's predefined functions (funcs.go), apart from `and`, `or` and `call`, which the
 * executor evaluates itself because they short-circuit or need the callee's name.
 */
import { goSprint, goSprintf, goSprintln, isGoPrint, utf8Bytes } from './fmt.ts';
import { compareGoStrings, goTypeName, isTruthy, toGoKind } from './values.ts';

export interface Builtin {
  /** Fixed arguments; with `variadic`, the minimum. */
  arity: number;
  variadic: boolean;
  fn: (args: unknown[]) => unknown;
}

const isNil = (v: unknown): v is null | undefined => v === null || v === undefined;

function lengthOf(item: unknown): bigint {
  if (isNil(item)) throw new Error('len of nil pointer');
  if (typeof item === 'string') return BigInt(utf8Bytes(item).length);
  if (Array.isArray(item)) return BigInt(item.length);
  if (toGoKind(item) === 'map') return BigInt(Object.keys(item as object).length);
  throw new Error(`len of type ${goTypeName(item)}`);
}

function indexArg(index: unknown, cap: number): number {
  if (typeof index !== 'bigint') {
    if (isNil(index)) throw new Error('cannot index slice/array with nil');
    throw new Error(`cannot index slice/array with type ${goTypeName(index)}`);
  }
  if (index < 0n || index > BigInt(cap)) throw new Error(`index out of range: ${index}`);
  return Number(index);
}

function index(args: unknown[]): unknown {
  let item = args[0];
  if (isNil(item)) throw new Error('index of untyped nil');
  for (let i = 1; i < args.length; i++) {
    const ix = args[i];
    if (isNil(item)) throw new Error('index of nil pointer');
    if (typeof item === 'string' || Array.isArray(item)) {
      const isString = typeof item === 'string';
      const seq = isString ? utf8Bytes(item as string) : (item as unknown[]);
      const x = indexArg(ix, seq.length);
      if (x === seq.length) throw new Error(`index out of range: ${x}`);
      item = isString ? BigInt((seq as Uint8Array)[x] as number) : ((seq as unknown[])[x] ?? null);
      continue;
    }
    if (toGoKind(item) === 'map') {
      if (typeof ix !== 'string') {
        if (isNil(ix)) {
          item = null;
          continue;
        }
        throw new Error(`value has type ${goTypeName(ix)}; should be string`);
      }
      const m = item as Record<string, unknown>;
      item = Object.hasOwn(m, ix) ? (m[ix] ?? null) : null;
      continue;
    }
    throw new Error(`can't index item of type ${goTypeName(item)}`);
  }
  return item;
}

function slice(args: unknown[]): unknown {
  const item = args[0];
  if (isNil(item)) throw new Error('slice of untyped nil');
  const idxs = args.slice(1);
  if (idxs.length > 3) throw new Error(`too many slice indexes: ${idxs.length}`);
  let len: number;
  if (typeof item === 'string') {
    if (idxs.length === 3) throw new Error('cannot 3-index slice a string');
    len = utf8Bytes(item).length;
  } else if (Array.isArray(item)) {
    len = item.length;
  } else {
    throw new Error(`can't slice item of type ${goTypeName(item)}`);
  }
  const idx = [0, len, len];
  idxs.forEach((ix, i) => {
    idx[i] = indexArg(ix, len);
  });
  const [lo = 0, hi = len, max = len] = idx;
  if (lo > hi) throw new Error(`invalid slice index: ${lo} > ${hi}`);
  if (idxs.length === 3 && hi > max) throw new Error(`invalid slice index: ${hi} > ${max}`);
  if (typeof item === 'string') return new TextDecoder().decode(utf8Bytes(item).slice(lo, hi));
  return (item as unknown[]).slice(lo, hi);
}

type BasicKind = 'bool' | 'int' | 'float' | 'string' | 'invalid';
function basicKind(v: unknown): BasicKind {
  switch (typeof v) {
    case 'boolean':
      return 'bool';
    case 'bigint':
      return 'int';
    case 'number':
      return 'float';
    case 'string':
      return 'string';
    default:
      return 'invalid';
  }
}

const errBadComparisonType = 'invalid type for comparison';
const errBadComparison = 'incompatible types for comparison';

function eq(args: unknown[]): boolean {
  const arg1 = args[0];
  if (args.length < 2) throw new Error('missing argument for comparison');
  const k1 = basicKind(arg1);
  for (let i = 1; i < args.length; i++) {
    const arg = args[i];
    const k2 = basicKind(arg);
    let truth = false;
    if (k1 !== k2) {
      if (!isNil(arg1) && !isNil(arg)) throw new Error(errBadComparison);
    } else if (k1 === 'invalid') {
      if (isNil(arg1) || isNil(arg)) {
        truth = isNil(arg1) === isNil(arg);
      } else {
        const t1 = toGoKind(arg1);
        const t2 = toGoKind(arg);
        if (t1 !== t2) {
          throw new Error(
            `non-comparable types ${goSprint([arg1])}: ${goTypeName(arg1)}, ${goTypeName(arg)}: ${goSprint([arg])}`,
          );
        }
        if (t1 === 'map' || t1 === 'slice' || t1 === 'func') {
          throw new Error(`non-comparable type ${goSprint([arg])}: ${goTypeName(arg)}`);
        }
        truth = arg1 === arg;
      }
    } else {
      truth = arg1 === arg;
    }
    if (truth) return true;
  }
  return false;
}

function lt(a: unknown, b: unknown): boolean {
  const k1 = basicKind(a);
  if (k1 === 'invalid') throw new Error(errBadComparisonType);
  const k2 = basicKind(b);
  if (k2 === 'invalid') throw new Error(errBadComparisonType);
  if (k1 !== k2) throw new Error(errBadComparison);
  switch (k1) {
    case 'bool':
      throw new Error(errBadComparisonType);
    case 'string':
      return compareGoStrings(a as string, b as string) < 0;
    default:
      return (a as number) < (b as number);
  }
}

function le(a: unknown, b: unknown): boolean {
  return lt(a, b) || eq([a, b]);
}

/** html/template's HTMLEscapeString, as text/template's `html` uses it. */
export function htmlEscape(s: string): string {
  return s.replace(/[\0"'&<>]/g, (c) => {
    switch (c) {
      case '\0':
        return '\ufffd';
      case '"':
        return '&#34;';
      case "'":
        return '&#39;';
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      default:
        return '&gt;';
    }
  });
}

/** template.JSEscapeString. */
export function jsEscape(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    switch (ch) {
      case '\\':
        out += '\\\\';
        continue;
      case "'":
        out += "\\'";
        continue;
      case '"':
        out += '\\"';
        continue;
      case '<':
        out += '\\u003C';
        continue;
      case '>':
        out += '\\u003E';
        continue;
      case '&':
        out += '\\u0026';
        continue;
      case '=':
        out += '\\u003D';
        continue;
    }
    if (c < 0x20) out += '\\u00' + c.toString(16).toUpperCase().padStart(2, '0');
    else if (c < 0x80 || isGoPrint(ch)) out += ch;
    else out += '\\u' + c.toString(16).toUpperCase().padStart(4, '0');
  }
  return out;
}

/** url.QueryEscape. */
export function urlQueryEscape(s: string): string {
  let out = '';
  for (const b of utf8Bytes(s)) {
    if (
      (b >= 0x30 && b <= 0x39) ||
      (b >= 0x41 && b <= 0x5a) ||
      (b >= 0x61 && b <= 0x7a) ||
      b === 0x2d ||
      b === 0x2e ||
      b === 0x5f ||
      b === 0x7e
    ) {
      out += String.fromCharCode(b);
    } else if (b === 0x20) out += '+';
    else out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/** funcs.go evalArgs: one string as is, anything else through Sprint, nil as "<no value>". */
function evalArgs(args: unknown[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  return goSprint(args.map((a) => (isNil(a) ? '<no value>' : a)));
}

export const builtins: Readonly<Record<string, Builtin>> = {
  not: { arity: 1, variadic: false, fn: (a) => !isTruthy(a[0]) },
  len: { arity: 1, variadic: false, fn: (a) => lengthOf(a[0]) },
  index: { arity: 1, variadic: true, fn: index },
  slice: { arity: 1, variadic: true, fn: slice },
  eq: { arity: 1, variadic: true, fn: eq },
  ne: { arity: 2, variadic: false, fn: (a) => !eq(a) },
  lt: { arity: 2, variadic: false, fn: (a) => lt(a[0], a[1]) },
  le: { arity: 2, variadic: false, fn: (a) => le(a[0], a[1]) },
  gt: { arity: 2, variadic: false, fn: (a) => !le(a[0], a[1]) },
  ge: { arity: 2, variadic: false, fn: (a) => !lt(a[0], a[1]) },
  print: { arity: 0, variadic: true, fn: (a) => goSprint(a) },
  println: { arity: 0, variadic: true, fn: (a) => goSprintln(a) },
  printf: {
    arity: 1,
    variadic: true,
    fn: (a) => {
      const format = a[0];
      if (typeof format !== 'string') {
        throw new Error(`wrong type for value; expected string; got ${goTypeName(format)}`);
      }
      return goSprintf(format, a.slice(1));
    },
  },
  html: { arity: 0, variadic: true, fn: (a) => htmlEscape(evalArgs(a)) },
  js: { arity: 0, variadic: true, fn: (a) => jsEscape(evalArgs(a)) },
  urlquery: { arity: 0, variadic: true, fn: (a) => urlQueryEscape(evalArgs(a)) },
};

/** Names the executor implements itself (short-circuit and `call`). */
export const specialBuiltins: ReadonlySet<string> = new Set(['and', 'or', 'call']);
