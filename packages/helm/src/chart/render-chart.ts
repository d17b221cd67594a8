import { Ajv, type ValidateFunction } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { TemplateExecError, TemplateParseError } from '../template/errors.ts';
import { TemplateSet } from '../template/template-set.ts';
import { isPlainObject } from '../template/values.ts';
import { createSprigFunctions } from '../sprig/index.ts';
import { semverCompare } from '../sprig/semver.ts';
import { toJsonable } from '../sprig/serialize.ts';
import { coalesceValues } from './coalesce-values.ts';
import { ChartError } from './errors.ts';
import { type LookupFunction, helmFunctions } from './helm-functions.ts';
import {
  Capabilities,
  ChartObject,
  DEFAULT_API_VERSIONS,
  DEFAULT_KUBE_VERSION,
  Files,
} from './helm-objects.ts';
import {
  checkDependencies,
  processDependencyEnabled,
  processImportValues,
} from './process-dependencies.ts';
import { type Hook, type Manifest, sortManifests } from './sort-manifests.ts';
import { type Chart, type ChartFile, chartFullPath, crdFiles, isLibraryChart } from './types.ts';

type Values = Record<string, unknown>;

export interface RenderChartOptions {
  releaseName: string;
  namespace: string;
  /** The user's values, already merged (-f files, then --set), over the chart's defaults. */
  values?: Values;
  /** Kubernetes version for `.Capabilities.KubeVersion` (default v1.32.0, as Helm's). */
  kubeVersion?: string;
  /** Extra group/versions for `.Capabilities.APIVersions` (added to Helm's defaults). */
  apiVersions?: readonly string[];
  /**
   * The group/versions (and group/version/Kind) a real cluster serves, in place of Helm's
   * defaults: what `helm install` discovers.
   */
  clusterApiVersions?: readonly string[];
  /** Seed of the random functions: the same seed renders the same passwords and keys. */
  seed: string;
  /** `lookup`: `{}` for every object unless given (as `helm template` does). */
  lookup?: LookupFunction;
  /** The clock for `now` (default: the real one). */
  now?: () => Date;
  isUpgrade?: boolean;
  /** Filled in while rendering (even one that fails): what the output depends on beyond its inputs. */
  reads?: ClusterReads;
}

/**
 * What a render read that may differ from one cluster to the next. A render that read none of
 * these gives the same output for every cluster with the same values.
 */
export interface ClusterReads {
  /** `.Capabilities.KubeVersion` or `.Capabilities.APIVersions` was read. */
  capabilities: boolean;
  /** A random function drew from the seeded stream. */
  random: boolean;
  /** How many times `lookup` was called. */
  lookups: number;
}

export function noClusterReads(): ClusterReads {
  return { capabilities: false, random: false, lookups: 0 };
}

/** A chart's rendered output, as Helm sorts it before installing. */
export interface RenderedChart {
  /** crds/ files of the chart and its enabled dependencies, in load order. */
  crds: { path: string; content: string }[];
  /** Hooks sorted by kind (Helm's order), each with its events, weight and delete policies. */
  hooks: Hook[];
  /** Every other document, sorted by kind in Helm's install order. */
  manifests: Manifest[];
  /** The values in effect (chart defaults, user values, dependencies' values and globals). */
  values: Values;
}

/** A copy of the chart tree that rendering may change (dependencies are pruned, aliases named). */
function cloneChart(chart: Chart, parent: Chart | null): Chart {
  const copy: Chart = {
    ...chart,
    metadata: {
      ...chart.metadata,
      dependencies: chart.metadata.dependencies.map((d) => ({ ...d })),
    },
    parent,
    dependencies: [],
  };
  copy.dependencies = chart.dependencies.map((d) => cloneChart(d, copy));
  return copy;
}

const validators = new WeakMap<object, ValidateFunction>();
const AJV_OPTIONS = { strict: false, allErrors: true, validateFormats: false } as const;
// Helm v3.17 validates with draft 7 semantics; schemas that declare a later draft need its Ajv.
const ajvByDraft = {
  draft7: new Ajv(AJV_OPTIONS),
  draft2019: new Ajv2019(AJV_OPTIONS),
  draft2020: new Ajv2020(AJV_OPTIONS),
};

function ajvFor(schema: object): Ajv {
  const declared = '$schema' in schema ? String(schema.$schema) : '';
  if (declared.includes('2020-12')) return ajvByDraft.draft2020;
  if (declared.includes('2019-09')) return ajvByDraft.draft2019;
  return ajvByDraft.draft7;
}

/** values.schema.json of the chart and of each dependency against its values (Helm's order). */
function validateSchemas(chart: Chart, values: Values): string[] {
  const problems: string[] = [];
  if (isPlainObject(chart.schema) || typeof chart.schema === 'boolean') {
    const schema = chart.schema as object;
    let validate = validators.get(schema);
    if (!validate) {
      try {
        validate = ajvFor(schema).compile(schema);
      } catch (error) {
        throw new ChartError(
          `${chart.metadata.name}/values.schema.json: ${(error as Error).message}`,
          'values.schema.json',
        );
      }
      validators.set(schema, validate);
    }
    if (!validate(toJsonable(values))) {
      const lines = (validate.errors ?? []).map((e) => {
        const path =
          e.instancePath === '' ? '(root)' : e.instancePath.slice(1).replaceAll('/', '.');
        return `- ${path}: ${e.message ?? 'is invalid'}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`;
      });
      problems.push(`${chart.metadata.name}:\n${lines.join('\n')}`);
    }
  }
  for (const dep of chart.dependencies) {
    const sub = values[dep.metadata.name];
    problems.push(...validateSchemas(dep, isPlainObject(sub) ? sub : {}));
  }
  return problems;
}

interface Renderable {
  text: string;
  data: Values;
  isLibrary: boolean;
}

/** engine.recAllTpls: each chart's templates with the objects its templates see. */
function collectTemplates(
  chart: Chart,
  parentData: Values,
  templates: Map<string, Renderable>,
): Values {
  const subcharts: Values = {};
  const isRoot = chart.parent === null;
  let values: unknown = {};
  if (isRoot) values = parentData.Values;
  else if (
    isPlainObject(parentData.Values) &&
    isPlainObject(parentData.Values[chart.metadata.name])
  ) {
    values = parentData.Values[chart.metadata.name];
  }
  const data: Values = {
    Chart: new ChartObject(chart),
    Files: new Files(chart.files),
    Release: parentData.Release,
    Capabilities: parentData.Capabilities,
    Values: values,
    Subcharts: subcharts,
  };
  for (const dep of chart.dependencies)
    subcharts[dep.metadata.name] = collectTemplates(dep, data, templates);
  const fullPath = chartFullPath(chart);
  for (const template of chart.templates) {
    const isPartial = (template.name.split('/').pop() ?? '').startsWith('_');
    if (isLibraryChart(chart) && !isPartial) continue;
    templates.set(`${fullPath}/${template.name}`, {
      text: template.data.toString('utf8'),
      data: {
        ...data,
        Template: { Name: `${fullPath}/${template.name}`, BasePath: `${fullPath}/templates` },
      },
      isLibrary: isLibraryChart(chart),
    });
  }
  return data;
}

/**
 * Helm's cleanupParseError / cleanupExecError: `parse error at (file:line): message`, and for
 * `required` and `fail` `execution error at (file:line:col): message`; other execution errors
 * keep Go's full text, which names the template, line and column.
 */
function cleanupError(filename: string, error: unknown): Error {
  if (error instanceof TemplateParseError) {
    const tokens = error.message.split(': ');
    if (tokens.length === 1)
      return new ChartError(`parse error in (${filename}): ${error.message}`, filename);
    return new ChartError(
      `parse error at (${tokens[1] ?? filename}): ${tokens[tokens.length - 1] ?? ''}`,
      filename,
    );
  }
  if (error instanceof TemplateExecError) {
    // Go's strings.SplitN(message, ": ", 3): "template", "file:line:col", the rest.
    const first = error.message.indexOf(': ');
    const second = error.message.indexOf(': ', first + 2);
    const location =
      first >= 0 && second > first ? error.message.slice(first + 2, second) : undefined;
    const rest = second > 0 ? error.message.slice(second + 2) : '';
    const warning = /HELM_ERR_START([\s\S]*)HELM_ERR_END/.exec(rest);
    if (location !== undefined && warning) {
      return new ChartError(`execution error at (${location}): ${warning[1] ?? ''}`, filename);
    }
    return new ChartError(error.message, filename);
  }
  if (error instanceof Error) return new ChartError(error.message, filename);
  return new ChartError(String(error), filename);
}

/** engine's sortTemplates: deepest paths first, so a parent's defines override its subcharts'. */
function parseOrder(names: string[]): string[] {
  const depth = (s: string): number => s.split('/').length - 1;
  return [...names].sort((a, b) => {
    const d = depth(b) - depth(a);
    if (d !== 0) return d;
    return a < b ? 1 : a > b ? -1 : 0;
  });
}

function collectCrds(chart: Chart, out: { path: string; content: string }[]): void {
  for (const file of crdFiles(chart))
    out.push({ path: `${chartFullPath(chart)}/${file.name}`, content: file.data.toString('utf8') });
  for (const dep of chart.dependencies) collectCrds(dep, out);
}

function checkKubeVersion(chart: Chart, capabilities: Capabilities): void {
  const constraint = chart.metadata.kubeVersion;
  if (!constraint) return;
  let isCompatible: boolean;
  try {
    isCompatible = semverCompare(constraint, capabilities.KubeVersion.Version);
  } catch {
    isCompatible = false;
  }
  if (!isCompatible) {
    throw new ChartError(
      `chart requires kubeVersion: ${constraint} which is incompatible with Kubernetes ${capabilities.KubeVersion.Version}`,
      'Chart.yaml',
    );
  }
}

/**
 * Renders a chart as `helm install --dry-run` / `helm template` does: dependencies resolved and
 * pruned, values coalesced and validated, every template executed in one template set, the
 * output split into documents and sorted (hooks apart).
 */
export function renderChart(loaded: Chart, options: RenderChartOptions): RenderedChart {
  const chart = cloneChart(loaded, null);
  const reads = options.reads;
  const capabilities = new Capabilities(
    options.kubeVersion ?? DEFAULT_KUBE_VERSION,
    [...(options.clusterApiVersions ?? DEFAULT_API_VERSIONS), ...(options.apiVersions ?? [])],
    reads ? () => (reads.capabilities = true) : undefined,
  );
  checkKubeVersion(chart, capabilities);
  if (chart.metadata.type === 'library') {
    throw new ChartError(
      `${chart.metadata.name}: library charts are not installable`,
      'Chart.yaml',
    );
  }
  const checkAll = (c: Chart): void => {
    checkDependencies(c);
    c.dependencies.forEach(checkAll);
  };
  checkAll(chart);
  const userValues = options.values ?? {};
  processDependencyEnabled(chart, userValues, '');
  const withImports = processImportValues(chart, userValues);
  const values = coalesceValues(chart, withImports);
  const problems = validateSchemas(chart, values);
  if (problems.length > 0) {
    throw new ChartError(
      `values don't meet the specifications of the schema(s) in the following chart(s):\n${problems.join('\n')}`,
      'values.schema.json',
    );
  }

  const top: Values = {
    Values: values,
    Release: {
      Name: options.releaseName,
      Namespace: options.namespace,
      IsUpgrade: options.isUpgrade ?? false,
      IsInstall: !(options.isUpgrade ?? false),
      Revision: 1n,
      Service: 'Helm',
    },
    Capabilities: capabilities,
  };
  const templates = new Map<string, Renderable>();
  collectTemplates(chart, top, templates);

  const sprig = createSprigFunctions({
    seed: options.seed,
    now: options.now,
    ...(reads ? { onRandom: () => (reads.random = true) } : {}),
  });
  const lookupObject: LookupFunction = options.lookup ?? (() => ({}));
  const lookup: LookupFunction = reads
    ? (...args) => {
        reads.lookups += 1;
        return lookupObject(...args);
      }
    : lookupObject;
  const set = new TemplateSet({
    missingKey: 'zero',
    funcs: (self) => ({ ...sprig, ...helmFunctions(self, lookup) }),
  });
  for (const name of parseOrder([...templates.keys()])) {
    const template = templates.get(name);
    if (!template) continue;
    try {
      set.parse(name, template.text);
    } catch (error) {
      throw cleanupError(name, error);
    }
  }
  const rendered = new Map<string, string>();
  for (const name of [...templates.keys()].sort()) {
    const template = templates.get(name);
    if (!template || (name.split('/').pop() ?? '').startsWith('_')) continue;
    let output: string;
    try {
      output = set.execute(name, template.data, { replaceNoValue: true });
    } catch (error) {
      throw cleanupError(name, error);
    }
    // NOTES.txt is rendered (its errors count) but is not a manifest.
    if (name.endsWith('NOTES.txt')) continue;
    rendered.set(name, output);
  }
  const { hooks, manifests } = sortManifests(rendered);
  const crds: { path: string; content: string }[] = [];
  collectCrds(chart, crds);
  return { crds, hooks, manifests, values };
}

/** What `helm template` prints: manifests, then hooks (test hooks dropped with skipTests). */
export function formatHelmTemplate(
  rendered: RenderedChart,
  options: { skipTests?: boolean; includeCrds?: boolean } = {},
): string {
  let out = '';
  if (options.includeCrds)
    for (const crd of rendered.crds) out += `---\n# Source: ${crd.path}\n${crd.content}\n`;
  for (const m of rendered.manifests) out += `---\n# Source: ${m.path}\n${m.content}\n`;
  for (const h of rendered.hooks) {
    if (options.skipTests && h.events.includes('test')) continue;
    out += `---\n# Source: ${h.path}\n${h.content}\n`;
  }
  return out;
}

export type { ChartFile };
