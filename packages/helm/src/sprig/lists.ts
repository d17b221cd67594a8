import { TemplateFunctionError } from '../template/errors.ts';
import { isPlainObject } from '../template/values.ts';
import { type TemplateFunction, deepEqual, isEmpty, listArg, toInt64 } from './convert.ts';

function sliceArg(name: string, v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  throw new TemplateFunctionError(
    `Cannot ${name} on type ${v === null || v === undefined ? '<nil>' : typeof v}`,
  );
}

function until(start: bigint, stop: bigint, step: bigint): bigint[] {
  const out: bigint[] = [];
  if (step === 0n) return out;
  if (step > 0n) for (let i = start; i < stop; i += step) out.push(i);
  else for (let i = start; i > stop; i += step) out.push(i);
  return out;
}

/** Sprig's list functions; the must* twins throw where the plain ones panic in Go. */
export function listFunctions(): Record<string, TemplateFunction> {
  const fns: Record<string, TemplateFunction> = {
    list: (...items) => items,
    tuple: (...items) => items,
    append: (list, v) => [...sliceArg('append', list), v],
    push: (list, v) => [...sliceArg('push', list), v],
    prepend: (list, v) => [v, ...sliceArg('prepend', list)],
    concat: (...lists) => lists.flatMap((l) => (Array.isArray(l) ? l : [])),
    first: (list) => listArg('first', list)[0] ?? null,
    last: (list) => {
      const l = listArg('last', list);
      return l.length > 0 ? l[l.length - 1] : null;
    },
    rest: (list) => {
      const l = listArg('rest', list);
      return l.length > 0 ? l.slice(1) : null;
    },
    initial: (list) => {
      const l = listArg('initial', list);
      return l.length > 0 ? l.slice(0, -1) : null;
    },
    reverse: (list) => [...listArg('reverse', list)].reverse(),
    uniq: (list) => {
      const out: unknown[] = [];
      for (const item of listArg('uniq', list))
        if (!out.some((o) => deepEqual(o, item))) out.push(item);
      return out;
    },
    without: (list, ...omit) =>
      listArg('without', list).filter((item) => !omit.some((o) => deepEqual(o, item))),
    has: (needle, haystack) => {
      if (haystack === null || haystack === undefined) return false;
      return listArg('has', haystack).some((item) => deepEqual(item, needle));
    },
    compact: (list) => listArg('compact', list).filter((item) => !isEmpty(item)),
    slice: (list, ...indices) => {
      const l = sliceArg('slice', list);
      const start = indices.length > 0 ? Number(toInt64(indices[0])) : 0;
      const end = indices.length > 1 ? Number(toInt64(indices[1])) : l.length;
      return l.slice(start, end);
    },
    chunk: (size, list) => {
      const n = Number(toInt64(size));
      const l = listArg('chunk', list);
      const out: unknown[][] = [];
      for (let i = 0; i < l.length; i += n) out.push(l.slice(i, i + n));
      return out;
    },
    until: (count) => until(0n, toInt64(count), toInt64(count) >= 0n ? 1n : -1n),
    untilStep: (start, stop, step) => until(toInt64(start), toInt64(stop), toInt64(step)),
    dig: (...args) => {
      if (args.length < 3) throw new TemplateFunctionError('dig needs at least three arguments');
      const dict = args[args.length - 1];
      const fallback = args[args.length - 2];
      let current: unknown = dict;
      for (const key of args.slice(0, -2)) {
        if (!isPlainObject(current) || !Object.hasOwn(current, String(key))) return fallback;
        current = current[String(key)];
      }
      return current;
    },
  };
  for (const name of [
    'append',
    'push',
    'prepend',
    'first',
    'last',
    'rest',
    'initial',
    'reverse',
    'uniq',
    'without',
    'has',
    'compact',
    'slice',
    'chunk',
  ]) {
    const fn = fns[name];
    if (fn) fns[`must${name[0]?.toUpperCase()}${name.slice(1)}`] = fn;
  }
  return fns;
}
