import { TemplateFunctionError } from '../template/errors.ts';
import { isPlainObject } from '../template/values.ts';
import { type TemplateFunction, deepCopy, isEmpty, mapArg, strval } from './convert.ts';

/**
 * mergo.Merge as Sprig calls it (`merge`, `mergeOverwrite`): maps merge key by key, in place in
 * the destination; without overwrite a destination value wins unless it is empty (Go's zero
 * value), with overwrite the source wins except where both sides are maps (merged deeper).
 */
export function mergoMerge(
  dst: Record<string, unknown>,
  src: Record<string, unknown>,
  isOverwrite: boolean,
): Record<string, unknown> {
  for (const [key, srcValue] of Object.entries(src)) {
    const hasDst = Object.hasOwn(dst, key);
    const dstValue = dst[key];
    if (srcValue === null || srcValue === undefined) {
      if (isOverwrite) dst[key] = null;
      continue;
    }
    if (isPlainObject(srcValue) && isPlainObject(dstValue)) {
      mergoMerge(dstValue, srcValue, isOverwrite);
      continue;
    }
    if (hasDst && !isEmpty(dstValue) && Array.isArray(srcValue)) continue;
    if (isOverwrite || !hasDst || isEmpty(dstValue)) dst[key] = srcValue;
  }
  return dst;
}

export function dictFunctions(): Record<string, TemplateFunction> {
  const merge =
    (isOverwrite: boolean) =>
    (dst: unknown, ...srcs: unknown[]) => {
      const target = mapArg('merge', dst);
      for (const src of srcs) {
        if (src === null || src === undefined) continue;
        mergoMerge(target, mapArg('merge', src), isOverwrite);
      }
      return target;
    };
  return {
    dict: (...kv) => {
      const out: Record<string, unknown> = {};
      for (let i = 0; i < kv.length; i += 2)
        out[strval(kv[i])] = i + 1 < kv.length ? kv[i + 1] : '';
      return out;
    },
    get: (d, key) => {
      const m = mapArg('get', d);
      const k = strval(key);
      return Object.hasOwn(m, k) ? m[k] : '';
    },
    set: (d, key, value) => {
      const m = mapArg('set', d);
      m[strval(key)] = value;
      return m;
    },
    unset: (d, key) => {
      const m = mapArg('unset', d);
      delete m[strval(key)];
      return m;
    },
    hasKey: (d, key) => Object.hasOwn(mapArg('hasKey', d), strval(key)),
    pluck: (key, ...dicts) => {
      const k = strval(key);
      return dicts
        .filter((d) => isPlainObject(d) && Object.hasOwn(d, k))
        .map((d) => (d as Record<string, unknown>)[k]);
    },
    // Sprig's keys come from Go map iteration (random order): charts sort them with sortAlpha.
    keys: (...dicts) => dicts.flatMap((d) => Object.keys(mapArg('keys', d))),
    values: (d) => Object.values(mapArg('values', d)),
    pick: (d, ...keys) => {
      const m = mapArg('pick', d);
      const out: Record<string, unknown> = {};
      for (const k of keys.map(strval)) if (Object.hasOwn(m, k)) out[k] = m[k];
      return out;
    },
    omit: (d, ...keys) => {
      const m = mapArg('omit', d);
      const drop = new Set(keys.map(strval));
      return Object.fromEntries(Object.entries(m).filter(([k]) => !drop.has(k)));
    },
    merge: merge(false),
    mustMerge: merge(false),
    mergeOverwrite: merge(true),
    mustMergeOverwrite: merge(true),
    deepCopy: (v) => {
      if (v === null || v === undefined)
        throw new TemplateFunctionError('deepCopy: cannot copy nil');
      return deepCopy(v);
    },
    mustDeepCopy: (v) => deepCopy(v),
  };
}
