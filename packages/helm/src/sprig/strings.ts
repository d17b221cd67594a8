import { TemplateFunctionError } from '../template/errors.ts';
import { compareGoStrings } from '../template/values.ts';
import { type TemplateFunction, intArg, strval, toInt64 } from './convert.ts';
import { goQuote } from '../template/fmt.ts';
import type { SeededRandom } from './random.ts';

/** Go's strings.Title: a letter after a non-letter/digit/underscore is upper-cased. */
function title(s: string): string {
  let previous = ' ';
  let out = '';
  for (const ch of s) {
    const isSeparator = !/[\p{L}\p{N}_]/u.test(previous);
    out += isSeparator ? ch.toUpperCase() : ch;
    previous = ch;
  }
  return out;
}

function words(s: string): string[] {
  return s.split(/[^\p{L}\p{N}]+|(?<=[\p{Ll}\p{N}])(?=\p{Lu})/u).filter((w) => w.length > 0);
}

function trimCutset(s: string, cutset: string, left: boolean, right: boolean): string {
  const chars = new Set(cutset);
  const cps = Array.from(s);
  let start = 0;
  let end = cps.length;
  if (left) while (start < end && chars.has(cps[start] ?? '')) start++;
  if (right) while (end > start && chars.has(cps[end - 1] ?? '')) end--;
  return cps.slice(start, end).join('');
}

/** strslice: Sprig's conversion of a list to strings (nil elements dropped). */
export function toStrings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (!Array.isArray(v)) return v === null || v === undefined ? [] : [strval(v)];
  return v.filter((x) => x !== null && x !== undefined).map(strval);
}

const ALPHA = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const NUMERIC = '0123456789';
const ASCII = Array.from({ length: 94 }, (_, i) => String.fromCharCode(33 + i)).join('');

function randomString(random: SeededRandom, count: unknown, alphabet: string): string {
  const n = Number(toInt64(count));
  let out = '';
  for (let i = 0; i < n; i++) out += alphabet[random.int(alphabet.length)];
  return out;
}

export function stringFunctions(random: SeededRandom): Record<string, TemplateFunction> {
  return {
    trim: (s) => strval(s).trim(),
    trimAll: (cutset, s) => trimCutset(strval(s), strval(cutset), true, true),
    trimPrefix: (prefix, s) => {
      const str = strval(s);
      const p = strval(prefix);
      return p !== '' && str.startsWith(p) ? str.slice(p.length) : str;
    },
    trimSuffix: (suffix, s) => {
      const str = strval(s);
      const p = strval(suffix);
      return p !== '' && str.endsWith(p) ? str.slice(0, str.length - p.length) : str;
    },
    upper: (s) => strval(s).toUpperCase(),
    lower: (s) => strval(s).toLowerCase(),
    title: (s) => title(strval(s)),
    untitle: (s) =>
      strval(s).replace(
        /(^|[^\p{L}\p{N}_])(\p{L})/gu,
        (_, a: string, b: string) => a + b.toLowerCase(),
      ),
    repeat: (count, s) => strval(s).repeat(Math.max(0, intArg('repeat', count))),
    substr: (start, end, s) => {
      const str = strval(s);
      let a = Number(toInt64(start));
      const b = Number(toInt64(end));
      if (a < 0) return str.slice(0, b < 0 ? undefined : b);
      if (b < 0 || b > str.length) return str.slice(a);
      if (a > b) a = b;
      return str.slice(a, b);
    },
    nospace: (s) => strval(s).replace(/\s+/g, ''),
    trunc: (c, s) => {
      const str = strval(s);
      const n = Number(toInt64(c));
      if (n < 0 && str.length + n > 0) return str.slice(str.length + n);
      if (n >= 0 && str.length > n) return str.slice(0, n);
      return str;
    },
    abbrev: (width, s) => {
      const str = strval(s);
      const w = Number(toInt64(width));
      if (w < 4 || str.length <= w) return str;
      return `${str.slice(0, w - 3)}...`;
    },
    initials: (s) =>
      strval(s)
        .split(/\s+/)
        .filter((w) => w)
        .map((w) => w[0])
        .join(''),
    wrap: (width, s) => wrapText(strval(s), Number(toInt64(width)), '\n'),
    wrapWith: (width, sep, s) => wrapText(strval(s), Number(toInt64(width)), strval(sep)),
    contains: (substr, s) => strval(s).includes(strval(substr)),
    hasPrefix: (prefix, s) => strval(s).startsWith(strval(prefix)),
    hasSuffix: (suffix, s) => strval(s).endsWith(strval(suffix)),
    quote: (...args) =>
      args
        .filter((a) => a !== null && a !== undefined)
        .map((a) => goQuote(strval(a)))
        .join(' '),
    squote: (...args) =>
      args
        .filter((a) => a !== null && a !== undefined)
        .map((a) => `'${strval(a)}'`)
        .join(' '),
    cat: (...args) =>
      args
        .filter((a) => a !== null && a !== undefined)
        .map(strval)
        .join(' '),
    indent: (spaces, s) => {
      const pad = ' '.repeat(Math.max(0, intArg('indent', spaces)));
      return pad + strval(s).replaceAll('\n', `\n${pad}`);
    },
    nindent: (spaces, s) => {
      const pad = ' '.repeat(Math.max(0, intArg('nindent', spaces)));
      return `\n${pad}${strval(s).replaceAll('\n', `\n${pad}`)}`;
    },
    replace: (old, replacement, s) => strval(s).replaceAll(strval(old), strval(replacement)),
    plural: (one, many, count) => (intArg('plural', count) === 1 ? strval(one) : strval(many)),
    snakecase: (s) =>
      words(strval(s))
        .map((w) => w.toLowerCase())
        .join('_'),
    kebabcase: (s) =>
      words(strval(s))
        .map((w) => w.toLowerCase())
        .join('-'),
    camelcase: (s) =>
      strval(s)
        .split('_')
        .map((w) => (w ? w[0]?.toUpperCase() + w.slice(1) : ''))
        .join(''),
    swapcase: (s) =>
      Array.from(strval(s))
        .map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase()))
        .join(''),
    shuffle: (s) => {
      const chars = Array.from(strval(s));
      for (let i = chars.length - 1; i > 0; i--) {
        const j = random.int(i + 1);
        [chars[i], chars[j]] = [chars[j] as string, chars[i] as string];
      }
      return chars.join('');
    },
    toString: (v: unknown) => strval(v),
    toStrings: (v) => toStrings(v),
    split: (sep, s) => {
      const out: Record<string, unknown> = {};
      strval(s)
        .split(strval(sep))
        .forEach((part, i) => (out[`_${i}`] = part));
      return out;
    },
    splitList: (sep, s) => goSplit(strval(s), strval(sep), -1),
    splitn: (sep, n, s) => {
      const out: Record<string, unknown> = {};
      goSplit(strval(s), strval(sep), intArg('splitn', n)).forEach(
        (part, i) => (out[`_${i}`] = part),
      );
      return out;
    },
    join: (sep, v) => toStrings(v).join(strval(sep)),
    sortAlpha: (v) => {
      if (!Array.isArray(v)) return [strval(v)];
      return toStrings(v).sort(compareGoStrings);
    },
    randAlphaNum: (n) => randomString(random, n, ALPHA + NUMERIC),
    randAlpha: (n) => randomString(random, n, ALPHA),
    randNumeric: (n) => randomString(random, n, NUMERIC),
    randAscii: (n) => randomString(random, n, ASCII),
    base: (p) => goPathBase(strval(p)),
    dir: (p) => goPathDir(strval(p)),
    ext: (p) => {
      const base = strval(p);
      const slash = base.lastIndexOf('/');
      const dot = base.lastIndexOf('.');
      return dot > slash ? base.slice(dot) : '';
    },
    clean: (p) => goPathClean(strval(p)),
    isAbs: (p) => strval(p).startsWith('/'),
    seq: (...args) => seq(args.map((a) => Number(toInt64(a)))),
    uuidv4: () => {
      const b = random.bytes(16);
      b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
      b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
      const h = b.toString('hex');
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    },
  };
}

/** strings.SplitN: n < 0 all parts; the last part keeps the rest. */
export function goSplit(s: string, sep: string, n: number): string[] {
  if (n === 0) return [];
  const parts = sep === '' ? Array.from(s) : s.split(sep);
  if (n < 0 || parts.length <= n) return parts;
  return [...parts.slice(0, n - 1), parts.slice(n - 1).join(sep)];
}

function wrapText(s: string, width: number, sep: string): string {
  const lines: string[] = [];
  for (const paragraph of s.split('\n')) {
    let line = '';
    for (const word of paragraph.split(' ').filter((w) => w)) {
      if (line && line.length + 1 + word.length > width) {
        lines.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    lines.push(line);
  }
  return lines.join(sep);
}

function seq(params: number[]): string {
  if (params.length < 1 || params.length > 3) return '';
  const [a = 0, b = 0, c = 0] = params;
  const start = params.length === 1 ? 1 : a;
  let step = params.length === 3 ? b : 1;
  const end = params.length === 1 ? a : params.length === 2 ? b : c;
  if (params.length < 3 && end < start) step = -1;
  const out: number[] = [];
  if (step === 0) return '';
  for (let i = start; step > 0 ? i <= end : i >= end; i += step) out.push(i);
  return out.join(' ');
}

/** path.Clean (slash-separated, as Go's path package). */
export function goPathClean(p: string): string {
  if (p === '') return '.';
  const isRooted = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!isRooted) out.push('..');
    } else out.push(part);
  }
  const joined = out.join('/');
  if (isRooted) return `/${joined}`;
  return joined === '' ? '.' : joined;
}

export function goPathBase(p: string): string {
  if (p === '') return '.';
  const trimmed = p.replace(/\/+$/, '');
  if (trimmed === '') return '/';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

export function goPathDir(p: string): string {
  const slash = p.lastIndexOf('/');
  return goPathClean(p.slice(0, slash + 1));
}

export function assertString(name: string, v: unknown): string {
  if (typeof v !== 'string') {
    throw new TemplateFunctionError(
      `wrong type for value; expected string; got ${typeof v} (${name})`,
    );
  }
  return v;
}
