/**
 * Go's fmt (Sprint, Sprintln, Sprintf) over the value model of values.ts, so that `printf`,
 * `print` and plain `{{ .x }}` output is byte for byte what Helm prints: float64 as strconv's
 * shortest 'g' (1e+06), maps sorted by key, `<nil>`, `%!d(string=x)` for a wrong verb.
 */
import { goTypeName, sortedKeys, toGoKind } from './values.ts';

interface Flags {
  plus: boolean;
  minus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  plusV: boolean;
  sharpV: boolean;
  wid: number;
  widPresent: boolean;
  prec: number;
  precPresent: boolean;
}

function newFlags(): Flags {
  return {
    plus: false,
    minus: false,
    sharp: false,
    space: false,
    zero: false,
    plusV: false,
    sharpV: false,
    wid: 0,
    widPresent: false,
    prec: 0,
    precPresent: false,
  };
}

function clearFlags(f: Flags): void {
  f.plus = f.minus = f.sharp = f.space = f.zero = f.plusV = f.sharpV = false;
  f.wid = f.prec = 0;
  f.widPresent = f.precPresent = false;
}

function runeCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length) i++;
    n++;
  }
  return n;
}

/** UTF-8 bytes of a string (Go strings are bytes: len, %x, index). */
export function utf8Bytes(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

const printable = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;
/** unicode.IsPrint. */
export function isGoPrint(ch: string): boolean {
  return ch === ' ' || printable.test(ch);
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

function quoteRuneBody(ch: string, quote: string, asciiOnly: boolean): string {
  const cp = ch.codePointAt(0) ?? 0xfffd;
  if (ch === quote || ch === '\\') return '\\' + ch;
  if (asciiOnly ? cp < 0x80 && isGoPrint(ch) : isGoPrint(ch)) return ch;
  switch (ch) {
    case '\x07':
      return '\\a';
    case '\b':
      return '\\b';
    case '\f':
      return '\\f';
    case '\n':
      return '\\n';
    case '\r':
      return '\\r';
    case '\t':
      return '\\t';
    case '\v':
      return '\\v';
  }
  if (cp < 0x20 || cp === 0x7f) return '\\x' + hex(cp, 2);
  if (cp >= 0xd800 && cp < 0xe000) return '\\ufffd'; // a lone surrogate: Go's RuneError
  if (cp < 0x10000) return '\\u' + hex(cp, 4);
  return '\\U' + hex(cp, 8);
}

/** strconv.Quote (or QuoteToASCII). */
export function goQuote(s: string, asciiOnly = false): string {
  let out = '"';
  for (const ch of s) out += quoteRuneBody(ch, '"', asciiOnly);
  return out + '"';
}

function goQuoteRune(cp: number, asciiOnly: boolean): string {
  const ch = cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000) ? '\ufffd' : String.fromCodePoint(cp);
  return "'" + quoteRuneBody(ch, "'", asciiOnly) + "'";
}

function canBackquote(s: string): boolean {
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (ch === '`' || ch === '\ufeff') return false;
    if (c < 0x20 && ch !== '\t') return false;
    if (c === 0x7f) return false;
  }
  return true;
}

// ---- decimal conversion of float64 (strconv's ftoa, with exact half-even rounding) ----

interface Digits {
  d: string; // significant digits, no leading or trailing zeros
  dp: number; // decimal point position: value = 0.d * 10^dp
}

function shortestDigits(v: number): Digits {
  if (v === 0) return { d: '', dp: 0 };
  const e = Math.abs(v).toExponential(); // shortest round-trip digits, as Go's shortest
  const [mant = '', exp = '0'] = e.split('e');
  const d = mant.replace('.', '').replace(/0+$/, '');
  return { d, dp: Number(exp) + 1 };
}

function exactDigits(v: number): Digits {
  if (v === 0) return { d: '', dp: 0 };
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, Math.abs(v));
  const bits = buf.getBigUint64(0);
  const expBits = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & ((1n << 52n) - 1n);
  let exp: number;
  if (expBits === 0) exp = -1074;
  else {
    mant |= 1n << 52n;
    exp = expBits - 1075;
  }
  let s: string;
  let dp: number;
  if (exp >= 0) {
    s = (mant << BigInt(exp)).toString();
    dp = s.length;
  } else {
    s = (mant * 5n ** BigInt(-exp)).toString();
    dp = s.length + exp;
  }
  s = s.replace(/0+$/, '');
  return { d: s, dp };
}

/** decimal.Round(nd): round to nd digits, half to even on an exact tie. */
function roundDigits(x: Digits, nd: number): Digits {
  if (nd < 0 || nd >= x.d.length) return x;
  const next = x.d.charCodeAt(nd) - 48;
  let up: boolean;
  if (next > 5) up = true;
  else if (next < 5) up = false;
  else if (nd + 1 < x.d.length)
    up = true; // more digits after the 5: above half
  else up = nd > 0 && (x.d.charCodeAt(nd - 1) - 48) % 2 === 1;
  if (!up)
    return { d: x.d.slice(0, nd).replace(/0+$/, ''), dp: x.d.slice(0, nd) === '' ? 0 : x.dp };
  let i = nd - 1;
  while (i >= 0 && x.d[i] === '9') i--;
  if (i < 0) return { d: '1', dp: x.dp + 1 };
  return { d: x.d.slice(0, i) + String.fromCharCode(x.d.charCodeAt(i) + 1), dp: x.dp };
}

function fmtE(x: Digits, prec: number, e: string): string {
  let s = x.d.length === 0 ? '0' : (x.d[0] as string);
  if (prec > 0) {
    s += '.';
    const frac = x.d.slice(1, 1 + prec);
    s += frac + '0'.repeat(prec - frac.length);
  }
  let exp = x.d.length === 0 ? 0 : x.dp - 1;
  const sign = exp < 0 ? '-' : '+';
  if (exp < 0) exp = -exp;
  return s + e + sign + (exp < 10 ? '0' + exp : String(exp));
}

function fmtF(x: Digits, prec: number): string {
  let s: string;
  if (x.dp > 0) {
    const intDigits = x.d.slice(0, x.dp);
    s = intDigits + '0'.repeat(x.dp - intDigits.length);
  } else s = '0';
  if (prec > 0) {
    s += '.';
    for (let i = 1; i <= prec; i++) {
      const j = x.dp + i - 1;
      s += j >= 0 && j < x.d.length ? x.d[j] : '0';
    }
  }
  return s;
}

/** strconv.FormatFloat(v, verb, prec, 64) for verbs e E f F g G; prec -1 is shortest. */
export function formatFloat(v: number, verb: string, prec: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  const neg = v < 0 || Object.is(v, -0);
  const shortest = prec < 0;
  let digs: Digits;
  if (shortest) {
    digs = shortestDigits(v);
  } else {
    digs = exactDigits(v);
    switch (verb) {
      case 'e':
      case 'E':
        digs = roundDigits(digs, prec + 1);
        break;
      case 'f':
      case 'F':
        digs = roundDigits(digs, digs.dp + prec);
        break;
      case 'g':
      case 'G':
        if (prec === 0) prec = 1;
        digs = roundDigits(digs, prec);
        break;
    }
  }
  const sign = neg ? '-' : '';
  switch (verb) {
    case 'e':
    case 'E':
      return sign + fmtE(digs, shortest ? Math.max(digs.d.length - 1, 0) : prec, verb);
    case 'f':
    case 'F':
      return sign + fmtF(digs, shortest ? Math.max(digs.d.length - digs.dp, 0) : prec);
    default: {
      let eprec = prec;
      if (eprec > digs.d.length && digs.d.length >= digs.dp) eprec = digs.d.length;
      if (shortest) eprec = 6;
      const exp = digs.dp - 1;
      const e = verb === 'G' ? 'E' : 'e';
      if (digs.d.length === 0) return sign + '0';
      if (exp < -4 || exp >= eprec) {
        let p = shortest ? digs.d.length : prec;
        if (p > digs.d.length) p = digs.d.length;
        return sign + fmtE(digs, p - 1, e);
      }
      let p = shortest ? digs.d.length : prec;
      if (p > digs.dp) p = digs.d.length;
      return sign + fmtF(digs, Math.max(p - digs.dp, 0));
    }
  }
}

/** fmt's '#' flag on floats: always a decimal point, and %g keeps its trailing zeros. */
function sharpFloat(num: string, verb: string, prec: number): string {
  let digits = 0;
  if (verb === 'g' || verb === 'G') digits = prec === -1 ? 6 : prec;
  let tail = '';
  let body = num;
  const e = body.search(/[eE]/);
  if (e >= 0) {
    tail = body.slice(e);
    body = body.slice(0, e);
  }
  let hasDecimalPoint = false;
  let sawNonzeroDigit = false;
  for (let i = 1; i < body.length; i++) {
    const c = body[i];
    if (c === '.') {
      hasDecimalPoint = true;
      continue;
    }
    if (c !== '0') sawNonzeroDigit = true;
    if (sawNonzeroDigit) digits--;
  }
  if (!hasDecimalPoint) {
    if (body.length === 2 && body[1] === '0') digits--;
    body += '.';
  }
  if (digits > 0) body += '0'.repeat(digits);
  return body + tail;
}

// ---- the printer (fmt's pp) ----

class Printer {
  buf = '';
  readonly f: Flags = newFlags();

  private writePadding(n: number): void {
    if (n <= 0) return;
    this.buf += (this.f.zero && !this.f.minus ? '0' : ' ').repeat(n);
  }

  private pad(s: string): void {
    if (!this.f.widPresent || this.f.wid === 0) {
      this.buf += s;
      return;
    }
    const width = this.f.wid - runeCount(s);
    if (!this.f.minus) {
      this.writePadding(width);
      this.buf += s;
    } else {
      this.buf += s;
      this.writePadding(width);
    }
  }

  private truncate(s: string): string {
    if (this.f.precPresent) {
      const chars = [...s];
      if (chars.length > this.f.prec) return chars.slice(0, this.f.prec).join('');
    }
    return s;
  }

  /** `%!d(string=x)`: the value the verb does not fit (an element, inside a slice or map). */
  private badVerb(verb: string, value: unknown): void {
    this.buf += '%!' + verb + '(';
    if (value === null || value === undefined) {
      this.buf += '<nil>';
    } else {
      this.buf += goTypeName(value) + '=';
      this.printValue(value, 'v', 0);
    }
    this.buf += ')';
  }

  printArg(arg: unknown, verb: string): void {
    if (arg === null || arg === undefined) {
      if (verb === 'T' || verb === 'v') this.pad('<nil>');
      else this.badVerb(verb, undefined);
      return;
    }
    if (verb === 'T') {
      this.fmtS(goTypeName(arg));
      return;
    }
    this.printValue(arg, verb, 0);
  }

  private fmtS(s: string): void {
    this.pad(this.truncate(s));
  }

  private fmtInteger(v: bigint, base: number, verb: string, upper: boolean): void {
    const f = this.f;
    const negative = v < 0n;
    const u = negative ? -v : v;
    let prec = 0;
    if (f.precPresent) {
      prec = f.prec;
      if (prec === 0 && u === 0n) {
        const oldZero = f.zero;
        f.zero = false;
        this.writePadding(f.wid);
        f.zero = oldZero;
        return;
      }
    } else if (f.zero && !f.minus && f.widPresent) {
      prec = f.wid;
      if (negative || f.plus || f.space) prec--;
    }
    let digits = u.toString(base);
    if (upper) digits = digits.toUpperCase();
    if (digits.length < prec) digits = '0'.repeat(prec - digits.length) + digits;
    if (f.sharp) {
      if (base === 2) digits = '0b' + digits;
      else if (base === 8 && digits[0] !== '0') digits = '0' + digits;
      else if (base === 16) digits = (upper ? '0X' : '0x') + digits;
    }
    if (verb === 'O') digits = '0o' + digits;
    if (negative) digits = '-' + digits;
    else if (f.plus) digits = '+' + digits;
    else if (f.space) digits = ' ' + digits;
    const oldZero = f.zero;
    f.zero = false;
    this.pad(digits);
    f.zero = oldZero;
  }

  private fmtInt(v: bigint, verb: string): void {
    switch (verb) {
      case 'v':
      case 'd':
        return this.fmtInteger(v, 10, verb, false);
      case 'b':
        return this.fmtInteger(v, 2, verb, false);
      case 'o':
      case 'O':
        return this.fmtInteger(v, 8, verb, false);
      case 'x':
        return this.fmtInteger(v, 16, verb, false);
      case 'X':
        return this.fmtInteger(v, 16, verb, true);
      case 'c': {
        const cp = v < 0n || v > 0x10ffffn ? 0xfffd : Number(v);
        return this.pad(String.fromCodePoint(cp >= 0xd800 && cp < 0xe000 ? 0xfffd : cp));
      }
      case 'q':
        if (v < 0n || v > 0x10ffffn) return this.badVerb(verb, v);
        return this.pad(goQuoteRune(Number(v), this.f.plus));
      case 'U': {
        const f = this.f;
        // Go prints %U of a uint64: a negative int shows its two's complement.
        let digits = BigInt.asUintN(64, v).toString(16).toUpperCase();
        const prec = f.precPresent && f.prec > 4 ? f.prec : 4;
        if (digits.length < prec) digits = '0'.repeat(prec - digits.length) + digits;
        let s = 'U+' + digits;
        if (f.sharp && v >= 0n && v <= 0x10ffffn) {
          const ch = String.fromCodePoint(Number(v));
          if (isGoPrint(ch)) s += " '" + ch + "'";
        }
        const oldZero = f.zero;
        f.zero = false;
        this.pad(s);
        f.zero = oldZero;
        return;
      }
      default:
        return this.badVerb(verb, v);
    }
  }

  private fmtFloat(v: number, verb: string): void {
    let prec: number;
    let conv: string;
    switch (verb) {
      case 'v':
        conv = 'g';
        prec = -1;
        break;
      case 'g':
      case 'G':
        conv = verb;
        prec = -1;
        break;
      case 'e':
      case 'E':
      case 'f':
      case 'F':
        conv = verb;
        prec = 6;
        break;
      default:
        return this.badVerb(verb, v);
    }
    const f = this.f;
    if (f.precPresent) prec = f.prec;
    let num = formatFloat(v, conv, prec);
    if (num[0] !== '-' && num[0] !== '+') num = '+' + num;
    if (f.space && num[0] === '+' && !f.plus) num = ' ' + num.slice(1);
    if (num[1] === 'I' || num[1] === 'N') {
      const oldZero = f.zero;
      f.zero = false;
      if (num[1] === 'N' && !f.space && !f.plus) num = num.slice(1);
      this.pad(num);
      f.zero = oldZero;
      return;
    }
    if (f.sharp) num = sharpFloat(num, conv, prec);
    if (f.plus || num[0] !== '+') {
      if (f.zero && !f.minus && f.widPresent && f.wid > num.length) {
        this.buf += num[0];
        this.writePadding(f.wid - num.length);
        this.buf += num.slice(1);
        return;
      }
      this.pad(num);
      return;
    }
    this.pad(num.slice(1));
  }

  private fmtSx(s: string, upper: boolean): void {
    const f = this.f;
    let bytes = utf8Bytes(s);
    if (f.precPresent && f.prec < bytes.length) bytes = bytes.slice(0, f.prec);
    const digits = upper ? '0123456789ABCDEF' : '0123456789abcdef';
    let out = '';
    for (let i = 0; i < bytes.length; i++) {
      if (f.space && i > 0) out += ' ';
      if (f.sharp && (f.space || i === 0)) out += upper ? '0X' : '0x';
      const b = bytes[i] as number;
      out += (digits[b >> 4] as string) + (digits[b & 15] as string);
    }
    this.pad(out);
  }

  private fmtString(s: string, verb: string): void {
    const f = this.f;
    switch (verb) {
      case 'v':
        if (f.sharpV) return this.pad(goQuote(s));
        return this.fmtS(s);
      case 's':
        return this.fmtS(s);
      case 'x':
        return this.fmtSx(s, false);
      case 'X':
        return this.fmtSx(s, true);
      case 'q': {
        const t = this.truncate(s);
        if (f.sharp && canBackquote(t)) return this.pad('`' + t + '`');
        return this.pad(goQuote(t, f.plus));
      }
      default:
        return this.badVerb(verb, s);
    }
  }

  printValue(v: unknown, verb: string, depth: number): void {
    const f = this.f;
    switch (toGoKind(v)) {
      case 'nil':
        if (f.sharpV) this.buf += 'interface {}(nil)';
        else this.pad('<nil>');
        return;
      case 'bool':
        if (verb === 't' || verb === 'v') return this.pad(v ? 'true' : 'false');
        return this.badVerb(verb, v);
      case 'int':
        return this.fmtInt(v as bigint, verb);
      case 'float64':
        return this.fmtFloat(v as number, verb);
      case 'string':
        return this.fmtString(v as string, verb);
      case 'slice': {
        const a = v as unknown[];
        if (f.sharpV) {
          this.buf += '[]interface {}{';
          a.forEach((e, i) => {
            if (i > 0) this.buf += ', ';
            this.printValue(e, verb, depth + 1);
          });
          this.buf += '}';
          return;
        }
        this.buf += '[';
        for (let i = 0; i < a.length; i++) {
          if (i > 0) this.buf += ' ';
          this.printValue(a[i], verb, depth + 1);
        }
        this.buf += ']';
        return;
      }
      case 'map': {
        const m = v as Record<string, unknown>;
        this.buf += f.sharpV ? 'map[string]interface {}{' : 'map[';
        let first = true;
        for (const k of sortedKeys(m)) {
          if (!first) this.buf += f.sharpV ? ', ' : ' ';
          first = false;
          this.printValue(k, verb, depth + 1);
          this.buf += ':';
          this.printValue(m[k], verb, depth + 1);
        }
        this.buf += f.sharpV ? '}' : ']';
        return;
      }
      case 'func':
        // Go prints a func's address; there is none to print here.
        return this.pad('0x0');
      case 'struct': {
        if (v instanceof Error) return this.fmtString(v.message, verb);
        // Go's handleMethods: an error or fmt.Stringer prints through Error() / String().
        if (!f.sharpV && 'vsxXq'.includes(verb)) {
          const method =
            (v as { Error?: unknown; String?: unknown }).Error ??
            (v as { String?: unknown }).String;
          if (typeof method === 'function') return this.fmtString(String(method.call(v)), verb);
        }
        // A struct prints its exported fields in order: {a b}, or {A:a B:b} with %+v.
        if (depth === 0) this.buf += '&';
        this.buf += '{';
        let first = true;
        for (const [k, fv] of Object.entries(v as object)) {
          if (typeof fv === 'function') continue;
          if (!first) this.buf += ' ';
          first = false;
          if (f.plusV || f.sharpV) this.buf += k + ':';
          this.printValue(fv, verb, depth + 1);
        }
        this.buf += '}';
        return;
      }
    }
  }

  doPrint(args: readonly unknown[]): void {
    let prevString = false;
    for (let i = 0; i < args.length; i++) {
      const arg = args[i];
      const isString = typeof arg === 'string';
      if (i > 0 && !isString && !prevString) this.buf += ' ';
      this.printArg(arg, 'v');
      prevString = isString;
    }
  }

  doPrintln(args: readonly unknown[]): void {
    for (let i = 0; i < args.length; i++) {
      if (i > 0) this.buf += ' ';
      this.printArg(args[i], 'v');
    }
    this.buf += '\n';
  }

  doPrintf(format: string, a: readonly unknown[]): void {
    const f = this.f;
    const end = format.length;
    let argNum = 0;
    let afterIndex: boolean;
    let reordered = false;
    let goodArgNum: boolean;

    const parsenum = (i: number, stop: number): { num: number; isnum: boolean; i: number } => {
      let num = 0;
      let isnum = false;
      while (i < stop) {
        const c = format.charCodeAt(i);
        if (c < 48 || c > 57) break;
        if (num > 1e6) return { num: 0, isnum: false, i: stop }; // Go's tooLarge
        num = num * 10 + (c - 48);
        isnum = true;
        i++;
      }
      return { num, isnum, i };
    };
    const argNumber = (i: number): { argNum: number; i: number; found: boolean } => {
      if (format[i] !== '[') return { argNum, i, found: false };
      reordered = true;
      // parseArgNumber
      let index = 0;
      let wid = 1;
      let ok = false;
      if (end - i >= 3) {
        for (let j = i + 1; j < end; j++) {
          if (format[j] === ']') {
            const p = parsenum(i + 1, j);
            if (!p.isnum || p.i !== j) {
              wid = j - i + 1;
              ok = false;
            } else {
              index = p.num - 1;
              wid = j - i + 1;
              ok = true;
            }
            break;
          }
        }
      }
      if (ok && index >= 0 && index < a.length) return { argNum: index, i: i + wid, found: true };
      goodArgNum = false;
      return { argNum, i: i + wid, found: ok };
    };
    const intFromArg = (): { num: number; ok: boolean } => {
      let num = 0;
      let ok = false;
      if (argNum < a.length) {
        const arg = a[argNum];
        if (typeof arg === 'bigint') {
          ok = arg >= -1000000n && arg <= 1000000n;
          num = ok ? Number(arg) : 0;
        }
        argNum++;
      }
      return { num, ok };
    };

    let i = 0;
    outer: while (i < end) {
      goodArgNum = true;
      const lasti = i;
      while (i < end && format[i] !== '%') i++;
      if (i > lasti) this.buf += format.slice(lasti, i);
      if (i >= end) break;
      i++;
      clearFlags(f);
      simple: for (; i < end; i++) {
        const c = format[i] as string;
        switch (c) {
          case '#':
            f.sharp = true;
            break;
          case '0':
            f.zero = !f.minus;
            break;
          case '+':
            f.plus = true;
            break;
          case '-':
            f.minus = true;
            f.zero = false;
            break;
          case ' ':
            f.space = true;
            break;
          default:
            if (c >= 'a' && c <= 'z' && argNum < a.length) {
              if (c === 'v') {
                f.sharpV = f.sharp;
                f.sharp = false;
                f.plusV = f.plus;
                f.plus = false;
              }
              this.printArg(a[argNum], c);
              argNum++;
              i++;
              continue outer;
            }
            break simple;
        }
      }
      let r = argNumber(i);
      argNum = r.argNum;
      i = r.i;
      afterIndex = r.found;
      if (i < end && format[i] === '*') {
        i++;
        const w = intFromArg();
        f.wid = w.num;
        f.widPresent = w.ok;
        if (!w.ok) this.buf += '%!(BADWIDTH)';
        if (f.wid < 0) {
          f.wid = -f.wid;
          f.minus = true;
          f.zero = false;
        }
        afterIndex = false;
      } else {
        const p = parsenum(i, end);
        f.wid = p.num;
        f.widPresent = p.isnum;
        i = p.i;
        if (afterIndex && f.widPresent) goodArgNum = false;
      }
      if (i + 1 < end && format[i] === '.') {
        i++;
        if (afterIndex) goodArgNum = false;
        r = argNumber(i);
        argNum = r.argNum;
        i = r.i;
        afterIndex = r.found;
        if (i < end && format[i] === '*') {
          i++;
          const p = intFromArg();
          f.prec = p.num;
          f.precPresent = p.ok;
          if (f.prec < 0) {
            f.prec = 0;
            f.precPresent = false;
          }
          if (!p.ok) this.buf += '%!(BADPREC)';
          afterIndex = false;
        } else {
          const p = parsenum(i, end);
          f.prec = p.num;
          f.precPresent = p.isnum;
          i = p.i;
          if (!f.precPresent) {
            f.prec = 0;
            f.precPresent = true;
          }
        }
      }
      if (!afterIndex) {
        r = argNumber(i);
        argNum = r.argNum;
        i = r.i;
      }
      if (i >= end) {
        this.buf += '%!(NOVERB)';
        break;
      }
      const cp = format.codePointAt(i) ?? 0;
      const verb = String.fromCodePoint(cp);
      i += verb.length;
      if (verb === '%') {
        this.buf += '%';
      } else if (!goodArgNum) {
        this.buf += '%!' + verb + '(BADINDEX)';
      } else if (argNum >= a.length) {
        this.buf += '%!' + verb + '(MISSING)';
      } else {
        if (verb === 'v') {
          f.sharpV = f.sharp;
          f.sharp = false;
          f.plusV = f.plus;
          f.plus = false;
        }
        this.printArg(a[argNum], verb);
        argNum++;
      }
    }
    if (!reordered && argNum < a.length) {
      clearFlags(f);
      this.buf += '%!(EXTRA ';
      for (let j = argNum; j < a.length; j++) {
        if (j > argNum) this.buf += ', ';
        const arg = a[j];
        if (arg === null || arg === undefined) this.buf += '<nil>';
        else {
          this.buf += goTypeName(arg) + '=';
          this.printArg(arg, 'v');
        }
      }
      this.buf += ')';
    }
  }
}

/** fmt.Sprint: spaces between operands when neither is a string. */
export function goSprint(values: readonly unknown[]): string {
  if (values.length === 1) {
    const v = values[0];
    if (typeof v === 'string') return v;
  }
  const p = new Printer();
  p.doPrint(values);
  return p.buf;
}

/** fmt.Sprintln: spaces between all operands, and a newline. */
export function goSprintln(values: readonly unknown[]): string {
  const p = new Printer();
  p.doPrintln(values);
  return p.buf;
}

/** fmt.Sprintf with Go's verbs, flags, width, precision, `*` and `[n]` argument indexes. */
export function goSprintf(format: string, args: readonly unknown[]): string {
  const p = new Printer();
  p.doPrintf(format, args);
  return p.buf;
}

/**
 * A value as an action prints it: Go's printableValue dereferences a pointer first, so a
 * struct prints as {..} where %v of the pointer would print &{..}.
 */
export function formatPrintable(v: unknown): string {
  if (toGoKind(v) !== 'struct' || v instanceof Error) return formatValue(v);
  const obj = v as { Error?: unknown; String?: unknown };
  if (typeof obj.Error === 'function' || typeof obj.String === 'function') return formatValue(v);
  const p = new Printer();
  p.printValue(v, 'v', 1);
  return p.buf;
}

/** A value as Go's %v prints it (fmt.Sprint of one value). */
export function formatValue(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return v;
    case 'bigint':
      return v.toString();
    case 'boolean':
      return v ? 'true' : 'false';
    default: {
      if (typeof v === 'number' && Number.isInteger(v) && Math.abs(v) < 1e6) {
        return Object.is(v, -0) ? '-0' : String(v);
      }
      const p = new Printer();
      p.printArg(v, 'v');
      return p.buf;
    }
  }
}
