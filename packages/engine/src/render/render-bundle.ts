import { EngineError } from '../errors.ts';
import { findKustomizeCharts, findRemoteBases, kustomizeBuild } from '../kustomize/index.ts';
import type { KustomizeChartRequest } from '../kustomize/index.ts';
import type { KustomizeCharts, MissingRemoteBase, RemoteBases } from '../kustomize/index.ts';
import { apiGroupOf } from '../objects/object-identity.ts';
import type { BundleOptions, DeployOptions, TargetCustomization } from '../options/index.ts';
import { resolveDeployOptions } from '../options/index.ts';
import type { KubeObject, RepoFiles } from '../types.ts';
import { applyNamespaces } from './apply-namespaces.ts';
import { OVERLAYS_FOLDER, applyOverlays } from './apply-overlays.ts';
import { isOptionsFileName, readBundleFiles } from './bundle-files.ts';
import { RenderBudget, resolveLimits } from './limits.ts';
import type { RenderLimits } from './limits.ts';
import { parseYamlDocuments } from './parse-yaml.ts';
import { joinPath, parentOf, relativeTo, resolveInside } from './paths.ts';
import { bundleNameOf, helmReleaseName } from './bundle-name.ts';
import { helmChartSourceOf, helmValues, loadHelmChart, renderHelm } from './render-helm.ts';
import type {
  HelmChartSource,
  HelmTargetCluster,
  RenderHelmInput,
  ResolvedCharts,
} from './render-helm.ts';
import { describeHelmRender, maskedValuesFrom } from './describe-helm-render.ts';
import type { HelmRenderSummary } from './describe-helm-render.ts';
import { toKubeObjects } from './to-objects.ts';
import type { Chart, ClusterReads } from '@flotilla/helm';

export interface RenderBundleInput {
  files: RepoFiles;
  /** Folder of the bundle, relative to the repository root ("" is the root). */
  bundlePath: string;
  options: BundleOptions;
  /** The customization chosen for the cluster (first match), if any. */
  customization?: TargetCustomization | undefined;
  limits?: Partial<RenderLimits> | undefined;
  /**
   * The bundle's name (release name default and seed of a chart's random functions); else
   * Fleet's: `name` from the options file, or the name derived from the path.
   */
  bundleName?: string | undefined;
  /** The loaded chart of a Helm bundle: `loadBundleChart` gives it. */
  chart?: Chart | undefined;
  /** Values read from the cluster for `helm.valuesFrom`, in its order (per-cluster renders). */
  valuesFrom?: readonly Record<string, unknown>[] | undefined;
  /** The clock of a chart's `now` function; the real one when absent. */
  now?: (() => Date) | undefined;
  /** A Helm bundle rendered for one cluster: its Capabilities, `lookup` and seed. */
  cluster?: HelmTargetCluster | undefined;
  /**
   * A secret mixed into the seed of a chart's random functions (the platform derives it from its
   * key), so that generated passwords cannot be computed from the bundle's and cluster's names.
   */
  seedSecret?: string | undefined;
  /** Filled in by a Helm render: whether its output depends on the cluster (see ClusterReads). */
  reads?: ClusterReads | undefined;
  /** The remote kustomize bases the caller fetched (see missingRemoteBases). */
  remoteBases?: RemoteBases | undefined;
  /** The charts of the kustomizations' `helmCharts:` (see loadKustomizeCharts). */
  kustomizeCharts?: KustomizeCharts | undefined;
}

export interface RenderedBundle {
  /** In Fleet's order: files by path, documents in file order. */
  objects: KubeObject[];
  deployOptions: DeployOptions;
  /** A Helm bundle's chart and its values, secrets masked (not part of the revision hash). */
  helm?: HelmRenderSummary;
}

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/**
 * Renders one cluster's copy of a bundle, as Fleet does: kustomize when the (customized)
 * kustomize.dir holds a kustomization, else the raw YAML of the folder with `yaml.overlays`
 * applied; then the namespace options. Pure: the same input always gives the same objects.
 * Throws EngineError.
 */
export function renderBundle(input: RenderBundleInput): RenderedBundle {
  const limits = resolveLimits(input.limits);
  const bundlePath = resolveInside('', input.bundlePath, 'bundle path');
  const deployOptions = resolveDeployOptions(input.options, input.customization);
  const files = readBundleFiles(input.files, bundlePath, input.options.file);
  const kustomizeDir = findKustomization(files, bundlePath, deployOptions.kustomizeDir);
  const helmSource = chartSourceOf(files, bundlePath, deployOptions.helm, kustomizeDir);

  let sourced: SourcedObject[];
  let helm: HelmRenderSummary | undefined;
  if (helmSource !== undefined) {
    if (!input.chart) {
      throw new EngineError(
        'Unsupported',
        `${bundlePath || '.'} is a Helm bundle: its chart must be loaded first (loadBundleChart)`,
        bundlePath || '.',
      );
    }
    const helmInput: RenderHelmInput = {
      chart: input.chart,
      bundleFiles: files,
      bundlePath,
      bundleName: bundleNameFor(input),
      customizationName: input.customization?.name ?? '',
      chartLocation: chartLocationOf(helmSource, bundlePath),
      deployOptions: { ...deployOptions, ...(kustomizeDir === undefined ? {} : { kustomizeDir }) },
      valuesFrom: input.valuesFrom,
      now: input.now,
      cluster: input.cluster,
      seedSecret: input.seedSecret,
      reads: input.reads,
      limits,
      budget: new RenderBudget(limits),
    };
    sourced = renderHelm(helmInput);
    helm = describeHelmRender({
      chart: input.chart,
      source: helmSource,
      bundlePath,
      // The same merge with Secret-sourced values masked first: no secret enters the summary.
      values: helmValues({
        ...helmInput,
        valuesFrom: maskedValuesFrom(deployOptions, input.valuesFrom),
        budget: new RenderBudget(limits),
      }),
    });
    if (kustomizeDir === undefined) delete deployOptions.kustomizeDir;
    if (helmSource.kind === 'templates') {
      const budget = new RenderBudget(limits);
      sourced.push(...renderRawYaml(files, bundlePath, deployOptions.overlays, budget, true));
    }
  } else {
    // Fleet ignores helm options of a bundle that is no chart; so do its revision's options.
    delete deployOptions.helm;
    sourced =
      kustomizeDir === undefined
        ? renderRawYaml(files, bundlePath, deployOptions.overlays, new RenderBudget(limits))
        : renderKustomize(files, bundlePath, kustomizeDir, limits, input);
  }
  const objects = applyNamespaces(
    sourced.map(({ object }) => object),
    deployOptions,
  );
  refuseDuplicates(objects, sourced);
  return { objects, deployOptions, ...(helm ? { helm } : {}) };
}

export type LoadBundleChartInput = Pick<
  RenderBundleInput,
  'files' | 'bundlePath' | 'options' | 'customization'
> & {
  /** Charts the caller fetched from Helm repositories, OCI registries or URLs. */
  charts?: ResolvedCharts | undefined;
  /** Binary files of the repository by path (a chart folder's charts/*.tgz). */
  binaryFiles?: ReadonlyMap<string, Uint8Array> | undefined;
};

/**
 * The chart a cluster's copy of a bundle renders, or undefined when the bundle is not a Helm
 * bundle. Run it before `renderBundle` and pass the result as `chart`. A chart folder of the
 * bundle is read from `files`; any other chart must be in `charts` (see `bundleChartSource`).
 */
export async function loadBundleChart(input: LoadBundleChartInput): Promise<Chart | undefined> {
  const bundlePath = resolveInside('', input.bundlePath, 'bundle path');
  const source = bundleChartSource(input);
  if (source === undefined) return undefined;
  let bundleFiles = readBundleFiles(input.files, bundlePath, input.options.file);
  if (source.kind === 'templates') {
    // Fleet applies yaml.overlays before it makes the chart of a raw-YAML bundle.
    const { overlays } = resolveDeployOptions(input.options, input.customization);
    const budget = new RenderBudget(resolveLimits(undefined));
    bundleFiles = applyOverlays(bundleFiles, overlays, { bundlePath, budget });
  }
  return loadHelmChart({
    bundleFiles,
    bundlePath,
    source,
    charts: input.charts,
    bundleName: bundleNameFor(input),
    binaryFiles: input.binaryFiles,
  });
}

/**
 * The remote git bases a cluster's copy of a kustomize bundle names and `remotes` lacks: the
 * worker fetches them and asks again (a remote may name remotes), then passes them to
 * renderBundle as `remoteBases`. Empty for bundles that are not kustomize.
 */
export function missingRemoteBases(
  input: Pick<RenderBundleInput, 'files' | 'bundlePath' | 'options' | 'customization'> & {
    remotes?: RemoteBases | undefined;
  },
): MissingRemoteBase[] {
  const bundlePath = resolveInside('', input.bundlePath, 'bundle path');
  const deployOptions = resolveDeployOptions(input.options, input.customization);
  const files = readBundleFiles(input.files, bundlePath, input.options.file);
  const kustomizeDir = findKustomization(files, bundlePath, deployOptions.kustomizeDir);
  if (kustomizeDir === undefined) return [];
  if (chartSourceOf(files, bundlePath, deployOptions.helm, kustomizeDir) !== undefined) return [];
  const bundleFiles = new Map([...files].map(([path, text]) => [joinPath(bundlePath, path), text]));
  return findRemoteBases(bundleFiles, joinPath(bundlePath, kustomizeDir), input.remotes);
}

/**
 * The charts a cluster's copy of a kustomize bundle inflates through `helmCharts:`, by chart
 * folder (repository paths); empty for bundles that are not kustomize.
 */
export function kustomizeChartRequests(
  input: Pick<RenderBundleInput, 'files' | 'bundlePath' | 'options' | 'customization'>,
): { requests: KustomizeChartRequest[]; bundleFiles: Map<string, string> } {
  const bundlePath = resolveInside('', input.bundlePath, 'bundle path');
  const deployOptions = resolveDeployOptions(input.options, input.customization);
  const files = readBundleFiles(input.files, bundlePath, input.options.file);
  const kustomizeDir = findKustomization(files, bundlePath, deployOptions.kustomizeDir);
  const bundleFiles = new Map([...files].map(([path, text]) => [joinPath(bundlePath, path), text]));
  if (kustomizeDir === undefined) return { requests: [], bundleFiles };
  if (chartSourceOf(files, bundlePath, deployOptions.helm, kustomizeDir) !== undefined) {
    return { requests: [], bundleFiles };
  }
  return {
    requests: findKustomizeCharts(bundleFiles, joinPath(bundlePath, kustomizeDir)),
    bundleFiles,
  };
}

/** Where the chart of a cluster's copy of a bundle comes from; undefined when it has none. */
export function bundleChartSource(
  input: Pick<RenderBundleInput, 'files' | 'bundlePath' | 'options' | 'customization'>,
): HelmChartSource | undefined {
  const bundlePath = resolveInside('', input.bundlePath, 'bundle path');
  const deployOptions = resolveDeployOptions(input.options, input.customization);
  const files = readBundleFiles(input.files, bundlePath, input.options.file);
  const kustomizeDir = findKustomization(files, bundlePath, deployOptions.kustomizeDir);
  return chartSourceOf(files, bundlePath, deployOptions.helm, kustomizeDir);
}

/**
 * Fleet's bundle styles: a chart (see helmChartSourceOf); else kustomize; else raw YAML, whose
 * templates/ files Fleet renders with Helm. Files there without a `{{` render to themselves, so
 * only a bundle whose templates/ use Helm syntax takes the Helm path.
 */
function chartSourceOf(
  files: ReadonlyMap<string, string>,
  bundlePath: string,
  helm: DeployOptions['helm'],
  kustomizeDir: string | undefined,
): HelmChartSource | undefined {
  const source = helmChartSourceOf(files, bundlePath, helm);
  if (source !== undefined || kustomizeDir !== undefined) return source;
  const hasTemplates = [...files].some(
    ([path, text]) => path.startsWith('templates/') && text.includes('{{'),
  );
  return hasTemplates ? { kind: 'templates' } : undefined;
}

function bundleNameFor(input: RenderBundleInput): string {
  if (input.bundleName) return input.bundleName;
  if (input.options.name) return helmReleaseName(input.options.name);
  return bundleNameOf(resolveInside('', input.bundlePath, 'bundle path'));
}

function chartLocationOf(source: HelmChartSource, bundlePath: string): string {
  switch (source.kind) {
    case 'folder':
      return joinPath(bundlePath, source.dir) || '.';
    case 'templates':
      return bundlePath || '.';
    case 'external':
      return source.request.chart;
  }
}

interface SourcedObject {
  object: KubeObject;
  file: string;
}

/**
 * Fleet's style rule: kustomize if `<kustomize.dir>/kustomization.yaml` is in the bundle. Fleet
 * falls back to raw YAML when an explicit dir has none, deploying files nobody meant to; we
 * refuse instead.
 */
function findKustomization(
  files: ReadonlyMap<string, string>,
  bundlePath: string,
  dir: string | undefined,
): string | undefined {
  const fullDir = resolveInside(bundlePath, dir ?? '', 'kustomize.dir');
  const relativeDir = relativeTo(bundlePath, fullDir);
  if (KUSTOMIZATION_FILES.some((name) => files.has(joinPath(relativeDir, name)))) {
    return relativeDir;
  }
  if (dir === undefined) return undefined;
  throw new EngineError(
    'KustomizeFailed',
    `kustomize.dir "${dir}" holds no kustomization.yaml (looked in ${fullDir || '.'})`,
    fullDir,
  );
}

function renderKustomize(
  files: ReadonlyMap<string, string>,
  bundlePath: string,
  kustomizeDir: string,
  limits: RenderLimits,
  { remoteBases, kustomizeCharts }: Pick<RenderBundleInput, 'remoteBases' | 'kustomizeCharts'>,
): SourcedObject[] {
  // Like Fleet, kustomize sees only the bundle's own files: a base outside the bundle folder
  // would make the bundle depend on files its revision does not cover.
  const bundleFiles = new Map([...files].map(([path, text]) => [joinPath(bundlePath, path), text]));
  const dir = joinPath(bundlePath, kustomizeDir);
  const objects = kustomizeBuild(bundleFiles, dir, {
    maxBytes: limits.maxBytes,
    maxDocuments: limits.maxDocuments,
    remotes: remoteBases,
    charts: kustomizeCharts,
  });
  return objects.map((object) => ({ object, file: dir }));
}

/**
 * Raw YAML as Fleet's helmdeployer renders it: overlays first, then every .yaml/.yml/.json
 * file except the options file, the `overlays/` folder and folders that are bundles or charts
 * of their own (they hold an options file or a Chart.yaml).
 */
function renderRawYaml(
  bundleFiles: ReadonlyMap<string, string>,
  bundlePath: string,
  overlays: readonly string[],
  budget: RenderBudget,
  isTemplatesRendered = false,
): SourcedObject[] {
  const files = applyOverlays(bundleFiles, overlays, { bundlePath, budget });
  const excludedFolders = [...files.keys()]
    .filter((path) => path.includes('/') && isNestedBundleMarker(path))
    .map((path) => `${parentOf(path)}/`);

  // Fleet hands raw-YAML files under templates/ to Helm's template engine (renderHelm).
  if (isTemplatesRendered) excludedFolders.push('templates/');

  const objects: SourcedObject[] = [];
  for (const [path, text] of [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!/\.(ya?ml|json)$/.test(path) || isOptionsFileName(path)) continue;
    if (path.startsWith(`${OVERLAYS_FOLDER}/`)) continue;
    if (excludedFolders.some((folder) => path.startsWith(folder))) continue;
    const file = joinPath(bundlePath, path);
    budget.spendBytes(file, text);
    const documents = parseYamlDocuments(text, file, budget);
    for (const object of toKubeObjects(documents, file, budget)) objects.push({ object, file });
  }
  return objects;
}

function isNestedBundleMarker(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return isOptionsFileName(name) || name === 'Chart.yaml';
}

/** Two copies of one object cannot both be applied; say where both came from. */
function refuseDuplicates(objects: readonly KubeObject[], sourced: readonly SourcedObject[]): void {
  const seen = new Map<string, string>();
  objects.forEach((object, index) => {
    const key = `${apiGroupOf(object.apiVersion)}/${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`;
    const file = sourced[index]?.file ?? '';
    const first = seen.get(key);
    if (first !== undefined) {
      throw new EngineError(
        'YamlInvalid',
        `${object.kind} "${object.metadata.name}" is defined twice (${first} and ${file})`,
        file,
      );
    }
    seen.set(key, file);
  });
}
