import type { z } from 'zod';
import { EngineError } from '../errors.ts';
import { OPTIONS_FILE_NAMES } from '../render/bundle-files.ts';
import { RenderBudget, resolveLimits } from '../render/limits.ts';
import type { RenderLimits } from '../render/limits.ts';
import { isPlainObject, parseYamlDocuments } from '../render/parse-yaml.ts';
import { joinPath, resolveInside } from '../render/paths.ts';
import type { RepoFiles } from '../types.ts';
import type { BundleOptions, TargetCustomization } from './bundle-options.ts';
import { optionsFileSchema } from './schema.ts';
import type { OptionsFile, TargetCustomizationInput } from './schema.ts';

/**
 * Reads the options file of the bundle at `bundlePath`: `flotilla.yaml`, else Fleet's
 * `fleet.yaml` (or `fleet.yml`). A bundle without one gets the defaults, as in Fleet.
 * `optionsFile` (a GitRepo `bundles:` entry's `options`, relative to the bundle folder) names
 * the file to read instead, which must exist, as in Fleet's driven scan.
 * Throws EngineError OptionsInvalid naming the file and the field path.
 */
export function loadBundleOptions(
  files: RepoFiles,
  bundlePath: string,
  limits?: Partial<RenderLimits>,
  optionsFile?: string,
): BundleOptions {
  const folder = resolveInside('', bundlePath, 'bundle path');
  if (optionsFile !== undefined && optionsFile !== '') {
    const file = resolveInside(folder, optionsFile, 'options file');
    const text = files.get(file);
    if (text === undefined) {
      throw optionsInvalid(
        file,
        `the options file "${optionsFile}" of bundle "${folder || '.'}" does not exist`,
      );
    }
    return { ...parseOptionsFile(text, file, limits), file };
  }
  for (const name of OPTIONS_FILE_NAMES) {
    const file = joinPath(folder, name);
    const text = files.get(file);
    if (text !== undefined) return { ...parseOptionsFile(text, file, limits), file };
  }
  return normalize({});
}

export function parseOptionsFile(
  text: string,
  file: string,
  limits?: Partial<RenderLimits>,
): BundleOptions {
  const budget = new RenderBudget(resolveLimits(limits));
  budget.spendBytes(file, text);
  const documents = parseYamlDocuments(text, file, budget).filter((document) => document !== null);
  if (documents.length > 1) {
    throw optionsInvalid(file, `holds ${documents.length} YAML documents; expected one`);
  }
  const [document = {}] = documents;
  if (!isPlainObject(document)) throw optionsInvalid(file, 'expected a mapping of options');

  const result = optionsFileSchema.safeParse(withoutNulls(document, []));
  if (!result.success) {
    const problems = result.error.issues.slice(0, 5).map(describeIssue);
    throw optionsInvalid(file, problems.join('; '));
  }
  return normalize(result.data);
}

function optionsInvalid(file: string, message: string): EngineError {
  return new EngineError('OptionsInvalid', `${file}: ${message}`, file);
}

/**
 * Go's decoder reads `key:` with no value as absent, and Fleet files rely on it (`chart: ""`,
 * `clusterSelector:`). Helm values keep their nulls: there a null deletes a chart default.
 */
function withoutNulls(value: unknown, path: readonly string[]): unknown {
  if (path.length === 2 && path[0] === 'helm' && path[1] === 'values') return value;
  if (path.length === 4 && path[2] === 'helm' && path[3] === 'values') return value;
  if (Array.isArray(value)) {
    return value.map((item: unknown, index) => withoutNulls(item, [...path, String(index)]));
  }
  if (!isPlainObject(value)) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item === null) continue;
    Object.defineProperty(copy, key, {
      value: withoutNulls(item, [...path, key]),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return copy;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_union') {
    // A value of the right shape for one branch (an object for correctDrift) is best explained
    // by that branch's own complaint, at its own path.
    const inner = issue.errors.flat().find((branchIssue) => branchIssue.path.length > 0);
    if (inner) return describeIssue({ ...inner, path: [...issue.path, ...inner.path] });
  }
  const path = formatPath(issue.path);
  const message = issueMessage(issue);
  return path === '' ? message : `${path}: ${message}`;
}

function issueMessage(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${issue.expected}`;
    case 'invalid_union': {
      const expected = issue.errors.map((branch) => {
        const [first] = branch;
        return first?.code === 'invalid_type' && first.path.length === 0
          ? first.expected
          : undefined;
      });
      if (expected.every((type) => type !== undefined)) return `expected ${expected.join(' or ')}`;
      const [detailed] = issue.errors.flat().filter((inner) => inner.code !== 'invalid_type');
      return detailed ? issueMessage(detailed) : issue.message;
    }
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((value) => String(value)).join(', ')}`;
    default:
      return issue.message;
  }
}

/** `targetCustomizations[1].clusterSelector.matchLabels.env`; odd keys as `["app.kubernetes.io/name"]`. */
export function formatPath(segments: readonly PropertyKey[]): string {
  let path = '';
  for (const segment of segments) {
    if (typeof segment === 'number') path += `[${segment}]`;
    else if (typeof segment === 'string' && /^[A-Za-z_][A-Za-z0-9_-]*$/.test(segment)) {
      path += path === '' ? segment : `.${segment}`;
    } else path += `[${JSON.stringify(String(segment))}]`;
  }
  return path;
}

function normalize(parsed: OptionsFile): BundleOptions {
  const { targets = [], targetCustomizations = [], correctDrift, ...rest } = parsed;
  const options: BundleOptions = {
    ...rest,
    labels: parsed.labels ?? {},
    paused: parsed.paused ?? false,
    dependsOn: parsed.dependsOn ?? [],
    targetCustomizations: [...targets, ...targetCustomizations].map(toCustomization),
  };
  if (correctDrift) options.correctDrift = correctDrift;
  return options;
}

function toCustomization(entry: TargetCustomizationInput, index: number): TargetCustomization {
  return {
    ...entry,
    // Fleet's setTargetNames: unnamed entries are target000, target001, ... by position.
    name: entry.name || `target${String(index).padStart(3, '0')}`,
    doNotDeploy: entry.doNotDeploy ?? false,
  };
}
