import { createHash } from 'node:crypto';
import {
  ChartError,
  loadChartFiles,
  type ClusterReads,
  type LookupFunction,
  mergeMaps,
  readValuesFile,
  renderChart,
  type Chart,
  type RenderedChart,
} from '@flotilla/helm';
import { isMap, parseDocument } from 'yaml';
import { EngineError } from '../errors.ts';
import { kustomizeBuild } from '../kustomize/index.ts';
import type { DeployOptions, ResolvedHelmOptions } from '../options/index.ts';
import type { KubeObject } from '../types.ts';
import { FALLBACK_NAMESPACE } from './apply-namespaces.ts';
import { helmReleaseName } from './bundle-name.ts';
import type { RenderBudget, RenderLimits } from './limits.ts';
import { isPlainObject, parseYamlDocuments } from './parse-yaml.ts';
import { joinPath, resolveInside } from './paths.ts';
import { toKubeObjects } from './to-objects.ts';

/**
 * A chart that lives outside the repository's text files: one from a Helm repository, an OCI
 * registry or a URL (`helm.repo` / `helm.chart` / `helm.version`), or a `.tgz` inside the
 * bundle (git reads binary files apart). The caller fetches it (I/O) and hands the engine the
 * loaded chart under `chartKeyOf(request)`.
 */
export interface ChartRequest {
  /** `helm.repo` as written ("" for a chart URL, an `oci://` reference or an archive path). */
  repo: string;
  /** The chart name in `repo`, a URL, an `oci://` reference, or an archive's repository path. */
  chart: string;
  /** `helm.version` as written (a version or a constraint; "" is the latest). */
  version: string;
  /** True when `chart` is a `.tgz` path inside the repository. */
  isInRepository: boolean;
}

/** Where a Helm bundle's chart comes from. */
export type HelmChartSource =
  | { kind: 'folder'; /** Folder relative to the bundle ("" is the bundle itself). */ dir: string }
  | { kind: 'external'; request: ChartRequest }
  /** Fleet's raw-YAML bundle whose templates/ files are Helm templates of a generated chart. */
  | { kind: 'templates' };

/** Loaded charts the caller fetched, keyed by `chartKeyOf`. */
export type ResolvedCharts = ReadonlyMap<string, Chart>;

export function chartKeyOf(request: ChartRequest): string {
  return JSON.stringify([request.repo, request.chart, request.version]);
}

const URL_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * Fleet's style rule (bundlereader.DetermineStyle): a bundle is a chart when
 * `<helm.chart or helm.repo>/Chart.yaml` is among its files (`Chart.yaml` at the top when
 * neither is set); otherwise `helm.chart` / `helm.repo` name a chart to download. Undefined
 * for bundles that are not Helm at all.
 */
export function helmChartSourceOf(
  bundleFiles: ReadonlyMap<string, string>,
  bundlePath: string,
  helm: ResolvedHelmOptions | undefined,
): HelmChartSource | undefined {
  const named = helm?.chart || helm?.repo || '';
  const isUrl = URL_SCHEME.test(named);
  if (!isUrl) {
    const dir = resolveInside('', named, 'helm.chart');
    if (bundleFiles.has(joinPath(dir, 'Chart.yaml'))) return { kind: 'folder', dir };
  }
  if (!helm || (!helm.chart && !helm.repo)) return undefined;
  const isArchive = !isUrl && !helm.repo && /\.(tgz|tar\.gz)$/.test(helm.chart);
  return {
    kind: 'external',
    request: {
      repo: helm.repo,
      chart: isArchive ? resolveInside(bundlePath, helm.chart, 'helm.chart') : helm.chart,
      version: helm.version,
      isInRepository: isArchive,
    },
  };
}

export interface LoadHelmChartInput {
  bundleFiles: ReadonlyMap<string, string>;
  bundlePath: string;
  source: HelmChartSource;
  charts?: ResolvedCharts | undefined;
  /** For a generated chart: its name (Fleet's: the bundle name's last segment). */
  bundleName: string;
  /** Binary files of the repository by path: a chart folder's archived subcharts (charts/*.tgz). */
  binaryFiles?: ReadonlyMap<string, Uint8Array> | undefined;
}

/**
 * The chart of a Helm bundle: a folder is read from the bundle's files; an external chart must
 * be among `charts`. Async only because a chart may hold archived subcharts to inflate; no I/O.
 */
export async function loadHelmChart(input: LoadHelmChartInput): Promise<Chart> {
  const { source, bundlePath } = input;
  if (source.kind === 'external') {
    const chart = input.charts?.get(chartKeyOf(source.request));
    if (chart) return chart;
    const { repo, chart: name, version } = source.request;
    const what = [repo && `repo ${repo}`, `chart ${name}`, version && `version ${version}`]
      .filter(Boolean)
      .join(', ');
    throw new EngineError(
      'HelmFailed',
      `${bundlePath || '.'}: the chart (${what}) has not been fetched: downloading charts is not supported yet`,
      joinPath(bundlePath, 'fleet.yaml'),
    );
  }
  if (source.kind === 'templates') return generatedChart(input);
  const prefix = source.dir === '' ? '' : `${source.dir}/`;
  const chartFiles = [...input.bundleFiles]
    .filter(([path]) => path.startsWith(prefix))
    .map(([path, text]) => ({ name: path.slice(prefix.length), data: Buffer.from(text, 'utf8') }));
  // Git hands binary files apart: the archives under the chart's folder join its text files.
  const folder = joinPath(bundlePath, source.dir);
  const folderPrefix = folder === '' ? '' : `${folder}/`;
  for (const [path, data] of input.binaryFiles ?? []) {
    if (path.startsWith(folderPrefix)) {
      chartFiles.push({ name: path.slice(folderPrefix.length), data: Buffer.from(data) });
    }
  }
  try {
    return await loadChartFiles(chartFiles);
  } catch (error) {
    throw toEngineError(error, joinPath(bundlePath, source.dir));
  }
}

/**
 * Fleet's chart for a raw-YAML bundle (render.HelmChart): its templates/ files under a
 * generated Chart.yaml named after the bundle. Fleet's version carries the commit
 * (v0.0.0+git-<sha>); ours is v0.0.0, so a render does not change with every commit.
 */
async function generatedChart(input: LoadHelmChartInput): Promise<Chart> {
  const name = input.bundleName.slice(input.bundleName.lastIndexOf('/') + 1);
  const templates = [...input.bundleFiles]
    .filter(([path]) => path.startsWith('templates/'))
    .map(([path, text]) => ({ name: path, data: Buffer.from(text, 'utf8') }));
  const chartYaml = {
    name: 'Chart.yaml',
    data: Buffer.from(`apiVersion: v2\nname: ${name}\nversion: v0.0.0\n`),
  };
  try {
    return await loadChartFiles([chartYaml, ...templates]);
  } catch (error) {
    throw toEngineError(error, joinPath(input.bundlePath, 'templates'));
  }
}

/**
 * The target cluster of a per-cluster render: what `.Capabilities` says, what `lookup` reads,
 * and the key that seeds the random functions with the bundle and the release.
 */
export interface HelmTargetCluster {
  /** Stable identity of the cluster (its id): each cluster gets its own generated values. */
  seedKey: string;
  /** The cluster's Kubernetes version (gitVersion, e.g. v1.20.2). */
  kubeVersion: string;
  /** Its discovered group/versions and group/version/Kinds. */
  apiVersions: readonly string[];
  /** Reads the cluster, synchronously: the caller answers from what it fetched before. */
  lookup: LookupFunction;
}

export interface RenderHelmInput {
  chart: Chart;
  bundleFiles: ReadonlyMap<string, string>;
  bundlePath: string;
  /** Names the default release and seeds the random functions. */
  bundleName: string;
  /** Name of the chosen customization ("" for none): part of the seed. */
  customizationName: string;
  /** The chart's folder in the repository, or the name of an external chart: errors say it. */
  chartLocation: string;
  deployOptions: DeployOptions;
  /** Values read from the cluster for `helm.valuesFrom`, in its order (per-cluster renders). */
  valuesFrom?: readonly Record<string, unknown>[] | undefined;
  /** The clock of the template `now` function; the real one when absent. */
  now?: (() => Date) | undefined;
  /** Rendering for one cluster; absent, Helm's defaults and an empty `lookup` (shared render). */
  cluster?: HelmTargetCluster | undefined;
  /** Mixed into the seed, so that names alone do not give the generated values (see renderBundle). */
  seedSecret?: string | undefined;
  /** Filled in while rendering: whether the output depends on the cluster. */
  reads?: ClusterReads | undefined;
  limits: RenderLimits;
  budget: RenderBudget;
}

export interface HelmSourcedObject {
  object: KubeObject;
  file: string;
}

/**
 * Renders a Helm bundle as Fleet's helm deployer does: values in Helm's order (chart defaults <
 * valuesFiles < values, the bundle's then the customization's, < valuesFrom), the release named
 * `helm.releaseName` or after the bundle, in the namespace Fleet installs it into; CRDs, then
 * the manifests in Helm's install order, then hooks (test hooks are never installed); and, when
 * the kustomize dir holds a kustomization, kustomize run over that output as Fleet's
 * post-renderer does.
 */
export function renderHelm(input: RenderHelmInput): HelmSourcedObject[] {
  const { deployOptions } = input;
  const helm = deployOptions.helm;
  const values = helmValues(input);
  const releaseName = helm?.releaseName || helmReleaseName(input.bundleName);
  const namespace = deployOptions.namespace || deployOptions.defaultNamespace || FALLBACK_NAMESPACE;
  const chart = helm?.skipSchemaValidation ? withoutSchemas(input.chart, null) : input.chart;
  let rendered: RenderedChart;
  try {
    rendered = renderChart(chart, {
      releaseName,
      namespace,
      values,
      // Same inputs, same passwords and keys: a re-render must not look like drift. For one
      // cluster, (bundle, cluster, release): each cluster gets its own, whatever customization
      // it matches. The platform's secret makes them unguessable from names and ids.
      seed: createHash('sha256')
        .update(
          JSON.stringify(
            input.cluster
              ? [input.bundleName, { cluster: input.cluster.seedKey }, releaseName]
              : [input.bundleName, input.customizationName, releaseName],
          ) + (input.seedSecret === undefined ? '' : `\0${input.seedSecret}`),
        )
        .digest('hex'),
      ...(input.cluster
        ? {
            kubeVersion: input.cluster.kubeVersion,
            clusterApiVersions: input.cluster.apiVersions,
            lookup: input.cluster.lookup,
          }
        : {}),
      ...(input.reads ? { reads: input.reads } : {}),
      ...(input.now ? { now: input.now } : {}),
    });
  } catch (error) {
    throw toEngineError(error, input.chartLocation, chart.metadata.name);
  }

  const documents = [
    ...rendered.crds.map((crd) => ({ path: crd.path, content: crd.content })),
    ...rendered.manifests,
    ...rendered.hooks.filter((hook) => !hook.events.includes('test')),
  ];
  const objects: HelmSourcedObject[] = [];
  for (const { path, content } of documents) {
    input.budget.spendBytes(path, content);
    const parsed = parseYamlDocuments(content, path, input.budget);
    for (const object of toKubeObjects(parsed, path, input.budget)) {
      objects.push({ object, file: path });
    }
  }
  if (deployOptions.kustomizeDir === undefined) return objects;
  return postRenderKustomize(input, objects, deployOptions.kustomizeDir);
}

/** Fleet's kustomize post-render reads the chart's output from this file of the kustomize dir. */
const MANIFESTS_FILE = 'fleet-manifests.yaml';

/**
 * Fleet's kustomize.Process: the chart's output becomes `fleet-manifests.yaml` in the kustomize
 * dir and the first of its kustomization's resources, then kustomize builds the dir over the
 * bundle's files. The caller checked that the dir holds a kustomization.
 */
function postRenderKustomize(
  input: RenderHelmInput,
  objects: HelmSourcedObject[],
  kustomizeDir: string,
): HelmSourcedObject[] {
  const files = new Map(
    [...input.bundleFiles].map(([path, text]) => [joinPath(input.bundlePath, path), text]),
  );
  const dir = joinPath(input.bundlePath, kustomizeDir);
  if (objects.length > 0) {
    const manifests = objects
      .map(({ object }) => JSON.stringify(object))
      .join('\n---\n')
      .concat('\n');
    files.set(joinPath(dir, MANIFESTS_FILE), manifests);
    const name = ['kustomization.yaml', 'kustomization.yml', 'Kustomization']
      .map((file) => joinPath(dir, file))
      .find((file) => files.has(file));
    if (name !== undefined) files.set(name, withManifestsResource(files.get(name) ?? '', name));
  }
  const built = kustomizeBuild(files, dir, {
    maxBytes: input.limits.maxBytes,
    maxDocuments: input.limits.maxDocuments,
  });
  return built.map((object) => ({ object, file: dir }));
}

function withManifestsResource(text: string, file: string): string {
  const document = parseDocument(text);
  if (document.errors.length > 0 || !isMap(document.contents)) {
    throw new EngineError('KustomizeFailed', `${file}: not a kustomization mapping`, file);
  }
  const resources: unknown = document.toJS({ maxAliasCount: 100 })?.resources;
  const list = Array.isArray(resources) ? resources : [];
  if (list.includes(MANIFESTS_FILE)) return text;
  document.set('resources', [MANIFESTS_FILE, ...list]);
  return document.toString();
}

/** The user's values, merged in Helm's order (the chart's defaults are coalesced by Helm). */
export function helmValues(input: RenderHelmInput): Record<string, unknown> {
  const helm = input.deployOptions.helm;
  if (!helm) return {};
  let values: Record<string, unknown> = {};
  for (const layer of helm.valueLayers) {
    for (const valuesFile of layer.valuesFiles) {
      const relative = resolveInside('', valuesFile, 'helm.valuesFiles');
      const path = joinPath(input.bundlePath, relative);
      const text = input.bundleFiles.get(relative);
      if (text === undefined) {
        throw new EngineError(
          'HelmFailed',
          `helm.valuesFiles: ${path} does not exist in the bundle`,
          path,
        );
      }
      input.budget.spendBytes(path, text);
      try {
        values = mergeMaps(values, readValuesFile({ name: path, data: Buffer.from(text) }, path));
      } catch (error) {
        throw toEngineError(error, path);
      }
    }
    if (!helm.disablePreProcess) refuseFleetTemplating(layer.values, 'helm.values');
    values = mergeMaps(values, layer.values);
  }
  if (helm.valuesFrom.length > 0) {
    if (input.valuesFrom === undefined) {
      throw new EngineError(
        'Unsupported',
        `${input.bundlePath || '.'}: helm.valuesFrom reads ConfigMaps and Secrets of each cluster: render it for a cluster`,
        'helm.valuesFrom',
      );
    }
    for (const fromCluster of input.valuesFrom) values = mergeMaps(values, fromCluster);
  }
  return values;
}

/**
 * Fleet runs `helm.values` through its own `${ }` template with the cluster's labels unless
 * disablePreProcess is set. Passing such a value on as text would deploy "${ .ClusterName }".
 */
function refuseFleetTemplating(value: unknown, path: string): void {
  if (typeof value === 'string' && value.includes('${')) {
    throw new EngineError(
      'Unsupported',
      `${path}: "${value.slice(0, 80)}" uses Fleet's \${ } cluster templating, which needs per-cluster rendering (not yet); set helm.disablePreProcess: true to pass it as written`,
      path,
    );
  }
  if (Array.isArray(value))
    value.forEach((item, i) => refuseFleetTemplating(item, `${path}[${i}]`));
  else if (isPlainObject(value)) {
    for (const [key, item] of Object.entries(value)) refuseFleetTemplating(item, `${path}.${key}`);
  }
}

/** `helm.skipSchemaValidation`: the chart tree without values.schema.json anywhere. */
function withoutSchemas(chart: Chart, parent: Chart | null): Chart {
  const copy: Chart = { ...chart, schema: null, parent, dependencies: [] };
  copy.dependencies = chart.dependencies.map((dependency) => withoutSchemas(dependency, copy));
  return copy;
}

/**
 * A ChartError as an error on the bundle. `where` is the chart's folder in the repository (or
 * the values file); Helm names templates `<chart>/templates/x.yaml`, which becomes the file's
 * repository path when the chart is a folder of the bundle.
 */
function toEngineError(error: unknown, where: string, chartName?: string): Error {
  if (error instanceof EngineError) return error;
  if (error instanceof ChartError) {
    let file = error.file ?? '';
    if (chartName !== undefined && file.startsWith(`${chartName}/`)) {
      file = file.slice(chartName.length + 1);
    }
    const path = file === '' || file === where ? where : joinPath(where, file);
    return new EngineError('HelmFailed', `${where}: ${error.message}`, path);
  }
  return error instanceof Error ? error : new Error(String(error));
}
