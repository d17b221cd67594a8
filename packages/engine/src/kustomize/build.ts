import { EngineError } from '../errors.ts';
import { isJsonObject } from '../patch/json-value.ts';
import type { KubeObject, RepoFiles } from '../types.ts';
import { generateConfigMap, generateSecret } from './generators.ts';
import { inflateHelmChart, type KustomizeCharts } from './helm-charts.ts';
import { contentHash } from './hash.ts';
import { parseKustomization, type Kustomization } from './kustomization.ts';
import { parseRemoteReference, type RemoteBases } from './remote-reference.ts';
import {
  isRemoteReference,
  KustLoader,
  KUSTOMIZATION_FILE_NAMES,
  RepoReader,
  resolveRepoPath,
  type BuildLimits,
} from './loader.ts';
import { fixNameReferences } from './name-reference.ts';
import { useOpenApiSchema } from './openapi-schema.ts';
import { readResources } from './read-resources.ts';
import { ResMap } from './res-map.ts';
import type { Resource } from './resource.ts';
import { sortResources } from './sort.ts';
import { loadConfigurations, mergeConfig } from './transformer-config.ts';
import { runGeneratorPlugins, runTransformerPlugins } from './transformers/builtin-plugins.ts';
import { setImage } from './transformers/images.ts';
import { addAnnotations, addLabels } from './transformers/labels.ts';
import { setNamespace } from './transformers/namespace.ts';
import {
  applyPatch,
  applyPatchesStrategicMerge,
  applyPatchJson6902,
} from './transformers/patches.ts';
import { addNamePrefix, addNameSuffix } from './transformers/prefix-suffix.ts';
import { applyReplacements } from './transformers/replacements.ts';
import { setReplicas } from './transformers/replicas.ts';
import { mergeVars, resolveVars, type Var } from './transformers/vars.ts';

interface Target {
  loader: KustLoader;
  kustomization: Kustomization;
  /** Every var of the build so far (kustomize's VarSet, shared by all kustomizations). */
  vars: Var[];
}

function kustomizationFileIn(reader: RepoReader, dir: string, where: string): string {
  const found = KUSTOMIZATION_FILE_NAMES.map((name) => (dir ? `${dir}/${name}` : name)).filter(
    (path) => reader.isFile(path),
  );
  if (found.length > 1) {
    throw new EngineError(
      'KustomizeFailed',
      `${where}: found multiple kustomization files in "${dir || '.'}"`,
      where,
    );
  }
  const [file] = found;
  if (!file) {
    throw new EngineError(
      'KustomizeFailed',
      `${where}: unable to find one of ${KUSTOMIZATION_FILE_NAMES.map((n) => `'${n}'`).join(', ')} in directory "${dir || '.'}"`,
      where,
    );
  }
  return file;
}

function loadTarget(loader: KustLoader, vars: Var[]): Target {
  const shown = loader.reader.display(loader.file);
  const text = loader.reader.read(loader.file, shown);
  const kustomization = parseKustomization(text, shown);
  useOpenApiSchema(loader, kustomization.openapi, shown);
  return { loader, kustomization, vars };
}

/** The kustomization in folder `path`, listed by `parent` (a base or a component). */
function enterFolder(parent: Target, field: string, path: string): Target {
  const where = parent.loader.where(field);
  const file = kustomizationFileIn(parent.loader.reader, path, where);
  return loadTarget(parent.loader.enter(path, file, field), parent.vars);
}

/**
 * The kustomization a remote reference names, from the remotes the caller fetched (the engine
 * does no I/O: the worker fetches them through the Git cache first); undefined for a local path.
 */
function enterRemote(target: Target, reference: string, field: string): Target | undefined {
  if (!isRemoteReference(reference)) return undefined;
  const { loader } = target;
  const where = loader.where(field);
  const parsed = parseRemoteReference(reference);
  if (parsed.kind === 'file') {
    throw new EngineError(
      'Unsupported',
      `${where}: remote file "${reference}" is not supported; name a git repository (host/org/repo//folder?ref=...) instead`,
      where,
    );
  }
  if (parsed.kind === 'invalid') {
    throw new EngineError(
      'KustomizeFailed',
      `${where}: "${reference}" is not a remote kustomize accepts (${parsed.reason})`,
      where,
    );
  }
  const mount = loader.reader.mountOf(parsed.reference);
  if (mount === undefined) {
    throw new EngineError(
      'Unsupported',
      `${where}: remote reference "${reference}" was not fetched; the worker fetches remote bases before it renders`,
      where,
    );
  }
  const dir = parsed.reference.path === '' ? mount : `${mount}/${parsed.reference.path}`;
  if (!loader.reader.isDirectory(dir)) {
    throw new EngineError(
      'KustomizeFailed',
      `${where}: "${reference}": the repository has no folder "${parsed.reference.path}"`,
      where,
    );
  }
  const file = kustomizationFileIn(loader.reader, dir, where);
  return loadTarget(loader.enterRemote(dir, file, field, mount), target.vars);
}

function accumulateResources(target: Target, resmap: ResMap): void {
  const { loader, kustomization } = target;
  kustomization.resources.forEach((reference, i) => {
    const field = `resources[${i}]`;
    const where = loader.where(field);
    const remote = enterRemote(target, reference, field);
    if (remote) {
      const accumulated = accumulateTarget(remote);
      resmap.appendAll(accumulated.resources, where);
      mergeConfig(resmap.config, accumulated.config, where);
      return;
    }
    const path = loader.resolve(reference, field);
    if (loader.reader.isFile(path)) {
      const { text } = loader.readFile(reference, field);
      const resources = readResources(text, path);
      for (const resource of resources) resource.origin = { path };
      loader.reader.countDocuments(resources.length, where);
      resmap.appendAll(resources, where);
      return;
    }
    if (!loader.reader.isDirectory(path)) {
      throw new EngineError(
        'KustomizeFailed',
        `${where}: "${reference}" (${path}) is neither a file nor a folder of the repository`,
        where,
      );
    }
    const base = enterFolder(target, field, path);
    if (base.kustomization.kind === 'Component') {
      throw new EngineError(
        'KustomizeFailed',
        `${where}: "${reference}" is a Component; list it under components`,
        where,
      );
    }
    const accumulated = accumulateTarget(base);
    resmap.appendAll(accumulated.resources, where);
    mergeConfig(resmap.config, accumulated.config, where);
  });
}

function runGenerators(target: Target, resmap: ResMap): void {
  const { loader, kustomization } = target;
  const options = kustomization.generatorOptions;
  kustomization.configMapGenerator.forEach((args, i) => {
    const field = `configMapGenerator[${i}]`;
    loader.reader.countDocuments(1, loader.where(field));
    const generated = generateConfigMap(args, options, loader, field);
    generated.origin = { configuredIn: loader.file, configuredBy: 'ConfigMapGenerator' };
    resmap.absorb(generated, loader.where(field));
  });
  kustomization.secretGenerator.forEach((args, i) => {
    const field = `secretGenerator[${i}]`;
    loader.reader.countDocuments(1, loader.where(field));
    const generated = generateSecret(args, options, loader, field);
    generated.origin = { configuredIn: loader.file, configuredBy: 'SecretGenerator' };
    resmap.absorb(generated, loader.where(field));
  });
  kustomization.helmCharts.forEach((entry, i) => {
    const field = `helmCharts[${i}]`;
    const where = loader.where(field);
    const inflated = inflateHelmChart(loader, kustomization, entry, field);
    loader.reader.countDocuments(inflated.length, where);
    for (const resource of inflated) {
      resource.origin = { configuredIn: loader.file, configuredBy: 'HelmChartInflationGenerator' };
    }
    resmap.appendAll(inflated, where);
  });
  runGeneratorPlugins(resmap, kustomization.generators, loader, buildFolder(target));
}

/** The objects a folder's kustomization outputs, as plugin configuration (kustomize's way). */
function buildFolder(target: Target) {
  return (path: string, field: string) =>
    accumulateTarget({ ...enterFolder(target, field, path), vars: [] }).resources;
}

/** Components work on the objects accumulated so far, before this kustomization's transformers. */
function accumulateComponents(target: Target, resmap: ResMap): void {
  const { loader, kustomization } = target;
  kustomization.components.forEach((reference, i) => {
    const field = `components[${i}]`;
    const where = loader.where(field);
    const remote = enterRemote(target, reference, field);
    const path = remote ? remote.loader.root : loader.resolve(reference, field);
    if (!remote && !loader.reader.isDirectory(path)) {
      throw new EngineError(
        'KustomizeFailed',
        `${where}: component "${reference}" (${path}) is not a folder`,
        where,
      );
    }
    const component = remote ?? enterFolder(target, field, path);
    if (component.kustomization.kind !== 'Component') {
      throw new EngineError(
        'KustomizeFailed',
        `${where}: expected kind Component in "${component.loader.file}"`,
        where,
      );
    }
    accumulateTarget(component, resmap);
  });
}

/** kustomize's transformer order; objects a patch emptied are dropped after each step. */
function runTransformers(target: Target, resmap: ResMap): void {
  const { loader, kustomization: k } = target;
  const steps: [string, () => void][] = [];
  if (k.patchesStrategicMerge.length > 0) {
    steps.push([
      'patchesStrategicMerge',
      () => applyPatchesStrategicMerge(resmap, k.patchesStrategicMerge, loader),
    ]);
  }
  k.patches.forEach((entry, i) => {
    steps.push([`patches[${i}]`, () => applyPatch(resmap, entry, loader, `patches[${i}]`)]);
  });
  if (k.namespace)
    steps.push(['namespace', () => setNamespace(resmap, k.namespace, loader.where('namespace'))]);
  if (k.namePrefix) steps.push(['namePrefix', () => addNamePrefix(resmap, k.namePrefix)]);
  if (k.nameSuffix) steps.push(['nameSuffix', () => addNameSuffix(resmap, k.nameSuffix)]);
  steps.push(['labels', () => addLabels(resmap, k, loader.where('labels'))]);
  steps.push([
    'commonAnnotations',
    () => addAnnotations(resmap, k.commonAnnotations, loader.where('commonAnnotations')),
  ]);
  k.patchesJson6902.forEach((entry, i) => {
    const field = `patchesJson6902[${i}]`;
    steps.push([field, () => applyPatchJson6902(resmap, entry, loader, field)]);
  });
  k.replicas.forEach((replica, i) => {
    steps.push([
      `replicas[${i}]`,
      () => setReplicas(resmap, replica, loader.where(`replicas[${i}]`)),
    ]);
  });
  k.images.forEach((image, i) => {
    steps.push([`images[${i}]`, () => setImage(resmap, image, loader.where(`images[${i}]`))]);
  });
  if (k.replacements.length > 0) {
    steps.push(['replacements', () => applyReplacements(resmap, k.replacements, loader)]);
  }
  for (const [, step] of steps) {
    step();
    resmap.dropEmpties();
  }
  runTransformerPlugins(resmap, k.transformers, loader, buildFolder(target));
}

function accumulateTarget(target: Target, resmap = new ResMap()): ResMap {
  accumulateResources(target, resmap);
  const { loader, kustomization } = target;
  const configurations = loadConfigurations(kustomization.configurations, loader);
  mergeConfig(resmap.config, configurations, loader.where('configurations'));
  runGenerators(target, resmap);
  accumulateComponents(target, resmap);
  runTransformers(target, resmap);
  mergeVars(resmap, target.vars, target.kustomization.vars, target.loader.where('vars'));
  return resmap;
}

function addHashSuffixes(resmap: ResMap): void {
  for (const resource of resmap.resources) {
    if (!resource.needsHashSuffix) continue;
    const hash = contentHash(resource.object);
    resource.storePreviousId();
    resource.name = `${resource.name}-${hash}`;
  }
}

const LOCAL_CONFIG = 'config.kubernetes.io/local-config';
const ORIGIN = 'config.kubernetes.io/origin';
const MANAGED_BY = 'app.kubernetes.io/managed-by';
// What kubectl 1.32 writes: its kustomize is a library without a version of its own, as in
// Fleet, so the provenance is "(devel)".
const MANAGED_BY_VALUE = 'kustomize-(devel)';

/** kustomize's origin annotation: YAML text, paths relative to the built folder. */
function originText(origin: NonNullable<Resource['origin']>, root: string): string {
  const relative = (path: string) => (root === '' ? path : path.slice(root.length + 1));
  if ('path' in origin) return `path: ${relative(origin.path)}\n`;
  return `configuredIn: ${relative(origin.configuredIn)}\nconfiguredBy:\n  apiVersion: builtin\n  kind: ${origin.configuredBy}\n`;
}

/** buildMetadata of the kustomization built (not of its bases), applied last as kustomize does. */
function addBuildMetadata(resmap: ResMap, options: readonly string[], root: string): void {
  for (const resource of resmap.resources) {
    if (options.includes('originAnnotations') && resource.origin) {
      const annotations = resource.metadata.annotations;
      const map = isJsonObject(annotations) ? annotations : {};
      map[ORIGIN] = originText(resource.origin, root);
      resource.metadata.annotations = map;
    }
  }
}

function addManagedByLabel(objects: KubeObject[]): void {
  for (const object of objects) {
    object.metadata.labels = { ...object.metadata.labels, [MANAGED_BY]: MANAGED_BY_VALUE };
  }
}

/** The object as kustomize prints it: build bookkeeping gone, local-only objects dropped. */
function finish(resmap: ResMap, file: string): KubeObject[] {
  const kept = resmap.resources.filter((resource) => {
    const local = resource.stringMap('annotations')[LOCAL_CONFIG];
    return local === undefined || local === 'false';
  });
  return kept.map((resource) => {
    // Read files are checked; a JSON patch may still remove it, and no API server takes that.
    if (resource.apiVersion === '') {
      throw new EngineError(
        'KustomizeFailed',
        `${file}: ${resource.kind} ${resource.name} has no apiVersion after the build`,
        file,
      );
    }
    // Every object carries kustomize's bookkeeping annotations during a build (from reading
    // or generating it); removing them at the end drops an annotations map left empty.
    const metadata = resource.object.metadata;
    if (isJsonObject(metadata)) {
      const annotations = metadata.annotations;
      if (isJsonObject(annotations) && Object.keys(annotations).length === 0) {
        delete metadata.annotations;
      }
    }
    return resource.object as KubeObject;
  });
}

export function build(
  files: RepoFiles,
  dir: string,
  limits: BuildLimits,
  remotes?: RemoteBases,
  charts?: KustomizeCharts,
): KubeObject[] {
  const reader = new RepoReader(files, limits, remotes, charts);
  const where = `kustomize build "${dir}"`;
  const root = resolveRepoPath('', dir, where);
  if (!reader.isDirectory(root)) {
    throw new EngineError(
      'KustomizeFailed',
      `${where}: "${dir}" is not a folder of the repository`,
      where,
    );
  }
  const file = kustomizationFileIn(reader, root, where);
  const target = loadTarget(new KustLoader(reader, root, file), []);
  const resmap = accumulateTarget(target);
  addHashSuffixes(resmap);
  fixNameReferences(resmap, file);
  resolveVars(resmap, target.vars, `${file}: vars`);
  const buildMetadata = target.kustomization.buildMetadata;
  if (buildMetadata.includes('transformerAnnotations')) {
    throw new EngineError(
      'Unsupported',
      `${file}: buildMetadata transformerAnnotations is not supported by Flotilla's kustomize`,
      file,
    );
  }
  addBuildMetadata(resmap, buildMetadata, root);
  const objects = finish(resmap, file);
  const sorted = sortResources(objects, target.kustomization.sortOptions);
  if (buildMetadata.includes('managedByLabel')) addManagedByLabel(sorted);
  reader.checkOutputBytes(Buffer.byteLength(JSON.stringify(sorted), 'utf8'), file);
  return sorted;
}
