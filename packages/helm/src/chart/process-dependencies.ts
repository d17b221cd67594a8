import semver from 'semver';
import { isPlainObject } from '../template/values.ts';
import { deepCopy } from '../sprig/convert.ts';
import { coalesceValues, mergeChartValues, mergeMaps } from './coalesce-values.ts';
import { ChartError } from './errors.ts';
import type { Chart, ChartDependency } from './types.ts';

type Values = Record<string, unknown>;

function isCompatible(constraint: string, version: string): boolean {
  if (!constraint) return true;
  try {
    return semver.satisfies(version, constraint.replace(/,/g, ' '), {
      loose: true,
      includePrerelease: true,
    });
  } catch {
    return false;
  }
}

/** action.CheckDependencies: every Chart.yaml dependency must be in charts/. */
export function checkDependencies(chart: Chart): void {
  const present = new Set(chart.dependencies.map((d) => d.metadata.name));
  const missing = chart.metadata.dependencies
    .filter((d) => !present.has(d.name))
    .map((d) => d.name);
  if (missing.length > 0) {
    throw new ChartError(
      `${chart.metadata.name}: found in Chart.yaml, but missing in charts/ directory: ${missing.join(', ')}`,
      'Chart.yaml',
    );
  }
}

/** A path like a.b.c in a values map (chartutil.Values.PathValue). */
function pathValue(values: Values, path: string): { isFound: boolean; value: unknown } {
  let current: unknown = values;
  for (const part of path.split('.')) {
    if (!isPlainObject(current) || !Object.hasOwn(current, part))
      return { isFound: false, value: undefined };
    current = current[part];
  }
  return { isFound: true, value: current };
}

function copyChart(chart: Chart, name: string): Chart {
  return { ...chart, metadata: { ...chart.metadata, name }, dependencies: [...chart.dependencies] };
}

/**
 * chartutil.processDependencyEnabled: aliases applied, then `tags:` and `condition:` evaluated
 * against the merged values, disabled dependencies removed, recursively.
 */
export function processDependencyEnabled(chart: Chart, values: Values, path: string): void {
  if (chart.metadata.dependencies.length === 0) return;
  const declared = chart.metadata.dependencies;
  const kept: Chart[] = chart.dependencies.filter(
    (existing) =>
      !declared.some(
        (req) =>
          req.name === existing.metadata.name &&
          isCompatible(req.version, existing.metadata.version),
      ),
  );
  for (const req of declared) {
    const found = chart.dependencies.find(
      (c) => c.metadata.name === req.name && isCompatible(req.version, c.metadata.version),
    );
    if (found) {
      const dep = req.alias ? copyChart(found, req.alias) : found;
      dep.parent = chart;
      kept.push(dep);
    }
    if (req.alias) req.name = req.alias;
  }
  chart.dependencies = kept;
  for (const req of declared) req.enabled = true;
  const merged = coalesceValues(chart, values);
  processTags(declared, merged);
  processConditions(declared, merged, path);
  const disabled = new Set(declared.filter((r) => !r.enabled).map((r) => r.name));
  chart.dependencies = chart.dependencies.filter((c) => !disabled.has(c.metadata.name));
  chart.metadata.dependencies = declared.filter((r) => !disabled.has(r.name));
  for (const dep of chart.dependencies)
    processDependencyEnabled(dep, merged, `${path}${dep.metadata.name}.`);
}

function processTags(reqs: ChartDependency[], values: Values): void {
  const tags = values.tags;
  if (!isPlainObject(tags)) return;
  for (const req of reqs) {
    let hasTrue = false;
    let hasFalse = false;
    for (const tag of req.tags) {
      const v = tags[tag];
      if (v === true) hasTrue = true;
      else if (v === false) hasFalse = true;
    }
    if (!hasTrue && hasFalse) req.enabled = false;
    else if (hasTrue || (!hasTrue && !hasFalse)) req.enabled = true;
  }
}

function processConditions(reqs: ChartDependency[], values: Values, path: string): void {
  for (const req of reqs) {
    for (const condition of req.condition.trim().split(',')) {
      if (condition === '') continue;
      const { isFound, value } = pathValue(values, path + condition);
      if (isFound && typeof value === 'boolean') {
        req.enabled = value;
        break;
      }
    }
  }
}

/**
 * chartutil.processDependencyImportValues: a dependency's values copied into the parent, either
 * `exports.<name>` (a string entry) or `{child: a.b, parent: c.d}`; the parent's own values win.
 */
export function processImportValues(chart: Chart, values: Values): Values {
  for (const dep of chart.dependencies)
    processImportValues(
      dep,
      isPlainObject(values[dep.metadata.name]) ? (values[dep.metadata.name] as Values) : {},
    );
  let imported: Values = {};
  for (const req of chart.metadata.dependencies) {
    const sub = chart.dependencies.find((c) => c.metadata.name === req.name);
    if (!sub || req.importValues.length === 0) continue;
    const subValues = mergeChartValues(
      sub,
      isPlainObject(values[req.name]) ? (values[req.name] as Values) : {},
    );
    for (const entry of req.importValues) {
      let child: string;
      let parent: string;
      if (typeof entry === 'string') {
        child = `exports.${entry}`;
        parent = '.';
      } else if (isPlainObject(entry)) {
        child = String(entry.child ?? '');
        parent = String(entry.parent ?? '');
      } else continue;
      const { isFound, value } = pathValue(subValues, child);
      if (!isFound || !isPlainObject(value)) continue;
      const target = parent === '.' || parent === '' ? value : nest(parent, value);
      imported = mergeMaps(imported, deepCopy(target));
    }
  }
  if (Object.keys(imported).length === 0) return values;
  chart.values = mergeMaps(imported, chart.values);
  return mergeMaps(imported, values);
}

function nest(path: string, value: unknown): Values {
  const parts = path.split('.');
  let out: unknown = value;
  for (const part of parts.reverse()) out = { [part]: out };
  return out as Values;
}
