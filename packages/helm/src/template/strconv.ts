/**
 * The parts of Go's strconv that template literals need: Unquote for "..." / `...` / '...'
 * and the base-0 integer and float syntax of Go number literals.
 */

const simpleEscapes: Readonly<Record<string, string>> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
};

/** strconv.Unquote; null where Go returns ErrSyntax ("invalid syntax"). */
export function goUnquote(s: string): string | null {
  if (s.length < 2) return null;
  const q = s[0];
  if (q !== s[s.length - 1]) return null;
  const body = s.slice(1, -1);
  if (q === '`') {
    if (body.includes('`')) return null;
    return body.includes('\r') ? body.replaceAll('\r', '') : body;
  }
  if (q !== '"' && q !== "'") return null;
  let out = '';
  let i = 0;
  while (i < body.length) {
    const c = body[i] as string;
    if (c === q || c === '\n') return null;
    if (c !== '\\') {
      const cp = body.codePointAt(i) ?? 0;
      const ch = String.fromCodePoint(cp);
      out += ch;
      i += ch.length;
      continue;
    }
    const e = body[i + 1];
    if (e === undefined) return null;
    i += 2;
    const simple = simpleEscapes[e];
    if (simple !== undefined) {
      out += simple;
      continue;
    }
    if (e === q) {
      out += e;
      continue;
    }
    let digits: number;
    let base = 16;
    if (e === 'x') digits = 2;
    else if (e === 'u') digits = 4;
    else if (e === 'U') digits = 8;
    else if (e >= '0' && e <= '7') {
      digits = 3;
      base = 8;
      i--;
    } else return null;
    const hex = body.slice(i, i + digits);
    const re = base === 8 ? /^[0-7]+$/ : /^[0-9a-fA-F]+$/;
    if (hex.length !== digits || !re.test(hex)) return null;
    const v = parseInt(hex, base);
    i += digits;
    if (base === 8 && v > 255) return null;
    if (e === 'u' || e === 'U') {
      if (v > 0x10ffff || (v >= 0xd800 && v < 0xe000)) return null;
    }
    out += String.fromCodePoint(v);
  }
  if (q === "'" && [...out].length !== 1) return null;
  return out;
}

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);
const UINT64_MAX = (1n << 64n) - 1n;

const intSyntax =
  /^[+-]?(?:0[xX](?:_?[0-9a-fA-F])+|0[bB](?:_?[01])+|0[oO](?:_?[0-7])+|0(?:_?[0-7])*|[1-9](?:_?[0-9])*)$/;
const floatSyntax =
  /^[+-]?(?:(?:[0-9](?:_?[0-9])*)(?:\.(?:[0-9](?:_?[0-9])*)?)?|\.[0-9](?:_?[0-9])*)(?:[eE][+-]?[0-9](?:_?[0-9])*)?$/;

/** strconv.ParseInt(s, 0, 64)-like: the value if s is an integer literal (any size), else null. */
export function parseGoInteger(s: string): bigint | null {
  if (!intSyntax.test(s)) return null;
  let t = s.replaceAll('_', '');
  let neg = false;
  if (t[0] === '+' || t[0] === '-') {
    neg = t[0] === '-';
    t = t.slice(1);
  }
  if (/^0[0-7]+$/.test(t)) t = '0o' + t.slice(1);
  const v = BigInt(t.toLowerCase().replace(/^0x/, '0x'));
  return neg ? -v : v;
}

const hexFloatSyntax = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?[0-9]+)$/;

/** strconv.ParseFloat's syntax: decimal, or hexadecimal with a binary exponent (0x1p-2). */
export function parseGoFloat(s: string): number | null {
  if (floatSyntax.test(s)) return Number(s.replaceAll('_', ''));
  const m = hexFloatSyntax.exec(s.replaceAll('_', ''));
  if (m === null) return null;
  const [, sign = '', int = '', frac = '', exp = '0'] = m;
  if (int.length + frac.length === 0) return null;
  const mantissa = Number(BigInt('0x' + (int + frac || '0')));
  const v = mantissa * 2 ** (Number(exp) - 4 * frac.length);
  return sign === '-' ? -v : v;
}

export type NumberValue =
  { ok: true; value: bigint | number; overflowsInt: boolean } | { ok: false; error: string };

/**
 * The value of a number token as exec's idealConstant types it: ints are bigint, a literal
 * with `.`, `e` or `p` (not hex) is a float64, a char constant is its rune's int value.
 */
export function parseNumberLiteral(text: string, isChar: boolean): NumberValue {
  if (isChar) {
    const r = goUnquote(text);
    if (r === null) return { ok: false, error: `malformed character constant: ${text}` };
    return { ok: true, value: BigInt(r.codePointAt(0) ?? 0), overflowsInt: false };
  }
  const i = parseGoInteger(text);
  if (i !== null) {
    if (i >= INT64_MIN && i <= INT64_MAX) return { ok: true, value: i, overflowsInt: false };
    if (i > 0n && i <= UINT64_MAX) return { ok: true, value: i, overflowsInt: true };
  }
  const f = parseGoFloat(text);
  if (f !== null && Number.isFinite(f)) {
    if (!/[.eEpP]/.test(text))
      return { ok: false, error: `integer overflow: ${JSON.stringify(text)}` };
    return { ok: true, value: f, overflowsInt: false };
  }
  if (i !== null) return { ok: false, error: `integer overflow: ${JSON.stringify(text)}` };
  return { ok: false, error: `illegal number syntax: ${JSON.stringify(text)}` };
}
