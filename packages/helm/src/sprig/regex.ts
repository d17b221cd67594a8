import { TemplateFunctionError } from '../template/errors.ts';
import { type TemplateFunction, intArg, strval } from './convert.ts';

/**
 * Go's RE2 syntax in a JS RegExp. The two mostly agree; what differs and is handled here: leading
 * inline flags `(?i)`/`(?s)`/`(?m)` (JS has none on Node 20), `(?P<name>` groups, and `\A`/`\z`.
 * Not supported (rare in charts): flags in the middle of a pattern, `\C`, `\pN` without braces.
 */
export function goRegExp(pattern: string, extraFlags = ''): RegExp {
  let source = pattern;
  let flags = extraFlags;
  const inline = /^\(\?([imsU]+)\)/.exec(source);
  if (inline) {
    for (const f of inline[1] ?? '') if (f !== 'U' && !flags.includes(f)) flags += f;
    source = source.slice(inline[0].length);
  }
  source = source
    .replace(/\(\?P</g, '(?<')
    .replace(/\\A/g, '^')
    .replace(/\\z/g, '$(?![\\s\\S])');
  try {
    return new RegExp(source, flags);
  } catch (error) {
    throw new TemplateFunctionError(`error parsing regexp: ${(error as Error).message}`);
  }
}

/** Go's Regexp.Expand template ($1, ${1}, $name, ${name}) in JS replacement syntax. */
function toJsReplacement(repl: string): string {
  return repl.replace(
    /\$(\$|\{(\w+)\}|(\w+))/g,
    (whole, _all: string, braced?: string, bare?: string) => {
      if (whole === '$$') return '$$';
      const name = braced ?? bare ?? '';
      return /^\d+$/.test(name) ? `$${name}` : `$<${name}>`;
    },
  );
}

function findAll(re: RegExp, s: string, n: number): string[] {
  const out: string[] = [];
  for (const m of s.matchAll(new RegExp(re.source, `${re.flags.replace('g', '')}g`))) {
    if (n >= 0 && out.length >= n) break;
    out.push(m[0]);
  }
  return out;
}

function split(re: RegExp, s: string, n: number): string[] {
  if (n === 0) return [];
  const parts = s.split(new RegExp(re.source, re.flags.replace('g', '')));
  if (n < 0 || parts.length <= n) return parts;
  // Go's Split keeps the unsplit remainder as the last element.
  const head = parts.slice(0, n - 1);
  let consumed = 0;
  const global = new RegExp(re.source, `${re.flags.replace('g', '')}g`);
  for (let i = 0; i < n - 1; i++) {
    const m = global.exec(s);
    if (!m) break;
    consumed = m.index + m[0].length;
  }
  return [...head, s.slice(consumed)];
}

export function regexFunctions(): Record<string, TemplateFunction> {
  const fns: Record<string, TemplateFunction> = {
    regexMatch: (re, s) => goRegExp(strval(re)).test(strval(s)),
    regexFind: (re, s) => goRegExp(strval(re)).exec(strval(s))?.[0] ?? '',
    regexFindAll: (re, s, n) => findAll(goRegExp(strval(re)), strval(s), intArg('regexFindAll', n)),
    regexReplaceAll: (re, s, repl) =>
      strval(s).replace(goRegExp(strval(re), 'g'), toJsReplacement(strval(repl))),
    regexReplaceAllLiteral: (re, s, repl) =>
      strval(s).replace(goRegExp(strval(re), 'g'), () => strval(repl)),
    regexSplit: (re, s, n) => split(goRegExp(strval(re)), strval(s), intArg('regexSplit', n)),
    regexQuoteMeta: (s) => strval(s).replace(/[\\.+*?()|[\]{}^$]/g, '\\$&'),
  };
  for (const name of [
    'regexMatch',
    'regexFind',
    'regexFindAll',
    'regexReplaceAll',
    'regexReplaceAllLiteral',
    'regexSplit',
  ]) {
    const fn = fns[name];
    if (fn) fns[`must${name[0]?.toUpperCase()}${name.slice(1)}`] = fn;
  }
  return fns;
}
