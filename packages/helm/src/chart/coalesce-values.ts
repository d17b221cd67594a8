import { isPlainObject } from '../template/values.ts';
import { deepCopy } from '../sprig/convert.ts';
import { ChartError } from './errors.ts';
import type { Chart } from './types.ts';

type Values = Record<string, unknown>;

/**
 * Helm's MergeValues for -f files and --set: later maps win, maps merge key by key.
 */
export function mergeMaps(a: Values, b: Values): Values {
  const out: Values = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const existing = out[k];
    out[k] = isPlainObject(v) && isPlainObject(existing) ? mergeMaps(existing, v) : v;
  }
  return out;
}

/**
 * chartutil.CoalesceValues: the user's values over the chart's defaults, and each dependency's
 * defaults under its name, with `global` pushed down. A user's `null` deletes a default (this is
 * how `--set key=null` removes a chart default).
 */
export function coalesceValues(chart: Chart, values: Values): Values {
  const copy = deepCopy(values);
  return coalesce(chart, copy, false);
}

/** Like coalesceValues, but a `null` is kept (Helm's MergeValues, used for dependency checks). */
export function mergeChartValues(chart: Chart, values: Values): Values {
  return coalesce(chart, deepCopy(values), true);
}

function coalesce(chart: Chart, dest: Values, isMerge: boolean): Values {
  coalesceChartValues(chart, dest, isMerge);
  return coalesceDeps(chart, dest, isMerge);
}

function coalesceChartValues(chart: Chart, dest: Values, isMerge: boolean): void {
  const defaults = deepCopy(chart.values);
  for (const [key, value] of Object.entries(defaults)) {
    if (Object.hasOwn(dest, key)) {
      const current = dest[key];
      if ((current === null || current === undefined) && !isMerge) {
        delete dest[key];
      } else if (isPlainObject(current) && isPlainObject(value)) {
        coalesceTables(current, value, isMerge);
      }
    } else {
      dest[key] = value;
    }
  }
}

function coalesceTables(dest: Values, src: Values, isMerge: boolean): Values {
  for (const [key, value] of Object.entries(src)) {
    const hasKey = Object.hasOwn(dest, key);
    const current = dest[key];
    if (hasKey && !isMerge && (current === null || current === undefined)) {
      delete dest[key];
    } else if (!hasKey) {
      dest[key] = value;
    } else if (isPlainObject(value) && isPlainObject(current)) {
      coalesceTables(current, value, isMerge);
    }
  }
  return dest;
}

function coalesceDeps(chart: Chart, dest: Values, isMerge: boolean): Values {
  for (const sub of chart.dependencies) {
    const name = sub.metadata.name;
    if (!Object.hasOwn(dest, name)) dest[name] = {};
    const subValues = dest[name];
    if (!isPlainObject(subValues)) {
      throw new ChartError(
        `type mismatch on ${name}: values for a dependency must be a map`,
        'values.yaml',
      );
    }
    coalesceGlobals(subValues, dest);
    dest[name] = coalesce(sub, subValues, isMerge);
  }
  return dest;
}

/** The parent's `global:` wins over a dependency's own, key by key (maps merged top-down). */
function coalesceGlobals(dest: Values, src: Values): void {
  const destGlobal = dest.global ?? {};
  const srcGlobal = src.global ?? {};
  if (!isPlainObject(destGlobal) || !isPlainObject(srcGlobal)) return;
  for (const [key, value] of Object.entries(srcGlobal)) {
    if (isPlainObject(value)) {
      const copy = deepCopy(value);
      const existing = destGlobal[key];
      if (existing === undefined || !Object.hasOwn(destGlobal, key)) destGlobal[key] = copy;
      else if (isPlainObject(existing)) {
        coalesceTables(copy, existing, true);
        destGlobal[key] = copy;
      }
    } else if (!isPlainObject(destGlobal[key])) {
      destGlobal[key] = value;
    }
  }
  dest.global = destGlobal;
}
