import { z } from 'zod';
import { EngineError } from '../../errors.ts';
import type { FieldSpec } from '../field-spec.ts';
import { foldFieldNames } from '../field-names.ts';
import { generateConfigMap, generateSecret } from '../generators.ts';
import type { KustLoader } from '../loader.ts';
import { readResources } from '../read-resources.ts';
import type { ResMap } from '../res-map.ts';
import type { Resource } from '../resource.ts';
import { setImage } from './images.ts';
import { setEntries } from './labels.ts';
import { setNamespace } from './namespace.ts';
import { applyPatch, applyPatchesStrategicMerge, applyPatchJson6902 } from './patches.ts';
import { addNamePrefix, addNameSuffix } from './prefix-suffix.ts';
import { applyReplacements, replacementEntry } from './replacements.ts';
import { setReplicas } from './replicas.ts';

/*
 * kustomization `transformers:` and `generators:` entries that configure kustomize's builtin
 * plugins (`apiVersion: builtin`), as `kubectl kustomize` runs them: after the kustomization's
 * own transformers (or generators), in the listed order. Each entry is inline YAML, a file, or a
 * folder whose kustomization outputs the configurations.
 */

const text = z.string();
const fieldSpec = z.object({
  group: text.optional(),
  version: text.optional(),
  kind: text.optional(),
  path: text,
  create: z.boolean().optional(),
});
const target = z.object({
  group: text.optional(),
  version: text.optional(),
  kind: text.optional(),
  name: text.optional(),
  namespace: text.optional(),
  labelSelector: text.optional(),
  annotationSelector: text.optional(),
});
const metadata = z.object({ name: text.optional(), namespace: text.optional() }).optional();
const generatorOptions = z
  .object({
    labels: z.record(text, text).optional(),
    annotations: z.record(text, text).optional(),
    disableNameSuffixHash: z.boolean().optional(),
    immutable: z.boolean().optional(),
  })
  .optional();
const generatorFields = {
  metadata,
  behavior: text.optional(),
  literals: z.array(text).optional(),
  files: z.array(text).optional(),
  envs: z.array(text).optional(),
  env: text.optional(),
  options: generatorOptions,
};

// The plugins read their configuration with plain yaml.Unmarshal: unknown fields are ignored.
const CONFIGS = {
  LabelTransformer: z.object({
    labels: z.record(text, text).optional(),
    fieldSpecs: z.array(fieldSpec).optional(),
  }),
  AnnotationsTransformer: z.object({
    annotations: z.record(text, text).optional(),
    fieldSpecs: z.array(fieldSpec).optional(),
  }),
  NamespaceTransformer: z.object({
    metadata,
    unsetOnly: z.boolean().optional(),
    setRoleBindingSubjects: text.optional(),
  }),
  PrefixSuffixTransformer: z.object({
    prefix: text.optional(),
    suffix: text.optional(),
    fieldSpecs: z.array(fieldSpec).optional(),
  }),
  PrefixTransformer: z.object({
    prefix: text.optional(),
    fieldSpecs: z.array(fieldSpec).optional(),
  }),
  SuffixTransformer: z.object({
    suffix: text.optional(),
    fieldSpecs: z.array(fieldSpec).optional(),
  }),
  ImageTagTransformer: z.object({
    imageTag: z.object({
      name: text.default(''),
      newName: text.optional(),
      newTag: text.optional(),
      digest: text.optional(),
      tagSuffix: text.optional(),
    }),
  }),
  ReplicaCountTransformer: z.object({
    replica: z.object({ name: text, count: z.number().int() }),
    fieldSpecs: z.array(fieldSpec).optional(),
  }),
  PatchTransformer: z.object({
    path: text.optional(),
    patch: text.optional(),
    target: target.optional(),
    options: z.record(text, z.boolean()).optional(),
  }),
  PatchStrategicMergeTransformer: z.object({
    paths: z.array(text).optional(),
    patches: text.optional(),
  }),
  PatchJson6902Transformer: z.object({
    target: target.optional(),
    path: text.optional(),
    jsonOp: text.optional(),
  }),
  ReplacementTransformer: z.object({ replacements: z.array(replacementEntry).optional() }),
  ConfigMapGenerator: z.object(generatorFields),
  SecretGenerator: z.object({ ...generatorFields, type: text.optional() }),
};

type PluginKind = keyof typeof CONFIGS;
const TRANSFORMER_KINDS = new Set<string>(
  Object.keys(CONFIGS).filter((kind) => !kind.endsWith('Generator')),
);
const GENERATOR_KINDS = new Set(['ConfigMapGenerator', 'SecretGenerator']);

function fail(message: string, where: string): never {
  throw new EngineError('KustomizeFailed', `${where}: ${message}`, where);
}

function unsupported(message: string, where: string): never {
  throw new EngineError('Unsupported', `${where}: ${message}`, where);
}

/** Reads the plugin configurations an entry stands for. */
function loadConfigs(
  entry: string,
  loader: KustLoader,
  field: string,
  buildFolder: (path: string, field: string) => readonly Resource[],
): Resource[] {
  const where = loader.where(field);
  // Like kustomize: an entry that parses as objects is inline configuration, else a path.
  let inline: Resource[] | undefined;
  try {
    inline = readResources(entry, where);
  } catch {
    inline = undefined;
  }
  if (inline && inline.length > 0) return inline;
  const path = loader.resolve(entry, field);
  if (loader.reader.isFile(path)) {
    const { text: content } = loader.readFile(entry, field);
    return readResources(content, path);
  }
  if (loader.reader.isDirectory(path)) return [...buildFolder(path, field)];
  return fail(`"${entry}" (${path}) is neither inline configuration, a file nor a folder`, where);
}

/** Only the fieldSpecs kustomize's own configuration gives these plugins are supported. */
function requireNameSpecs(
  specs: z.infer<typeof fieldSpec>[] | undefined,
  kind: string,
  where: string,
) {
  if (specs === undefined) fail(`${kind}: fieldSpecs is not expected to be nil`, where);
  const onlyName = specs.every(
    (spec) => spec.path === 'metadata/name' && !spec.group && !spec.version && !spec.kind,
  );
  if (!onlyName) {
    unsupported(
      `${kind}: fieldSpecs other than "metadata/name" are not supported by Flotilla's kustomize`,
      where,
    );
  }
  return specs.length > 0;
}

function parseConfig<K extends PluginKind>(kind: K, config: Resource, where: string) {
  const schema = CONFIGS[kind];
  const parsed = schema.safeParse(foldFieldNames(config.object, schema));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return fail(
      `plugin ${kind}/${config.name} fails configuration: ${issue?.path.join('.') || 'the config'}: ${issue?.message ?? 'invalid'}`,
      where,
    );
  }
  return parsed.data as z.infer<(typeof CONFIGS)[K]>;
}

function checkBuiltin(config: Resource, kinds: Set<string>, where: string): PluginKind {
  const kind = config.kind;
  if (config.apiVersion !== 'builtin') {
    unsupported(
      `${kind} ${config.name}: only kustomize's builtin plugins (apiVersion: builtin) are supported; external plugins are disabled, as in kubectl kustomize`,
      where,
    );
  }
  if (kind === 'HelmChartInflationGenerator') {
    unsupported('HelmChartInflationGenerator: helm charts are not supported yet', where);
  }
  if (!kinds.has(kind)) {
    unsupported(`builtin plugin ${kind} is not supported here by Flotilla's kustomize`, where);
  }
  return kind as PluginKind;
}

function runTransformer(resmap: ResMap, config: Resource, loader: KustLoader, field: string) {
  const where = loader.where(field);
  const kind = checkBuiltin(config, TRANSFORMER_KINDS, where);
  const specs = (list: z.infer<typeof fieldSpec>[] | undefined): FieldSpec[] =>
    (list ?? []).map((spec) => ({ ...spec }));
  switch (kind) {
    case 'LabelTransformer': {
      const c = parseConfig(kind, config, where);
      setEntries(resmap, c.labels ?? {}, specs(c.fieldSpecs), where);
      return;
    }
    case 'AnnotationsTransformer': {
      const c = parseConfig(kind, config, where);
      setEntries(resmap, c.annotations ?? {}, specs(c.fieldSpecs), where);
      return;
    }
    case 'NamespaceTransformer': {
      const c = parseConfig(kind, config, where);
      if (c.unsetOnly || (c.setRoleBindingSubjects && c.setRoleBindingSubjects !== 'defaultOnly')) {
        unsupported(
          'NamespaceTransformer: unsetOnly and setRoleBindingSubjects are not supported',
          where,
        );
      }
      if (c.metadata?.namespace) setNamespace(resmap, c.metadata.namespace, where);
      return;
    }
    case 'PrefixSuffixTransformer':
    case 'PrefixTransformer':
    case 'SuffixTransformer': {
      const c = parseConfig(kind, config, where) as {
        prefix?: string;
        suffix?: string;
        fieldSpecs?: z.infer<typeof fieldSpec>[];
      };
      if (!requireNameSpecs(c.fieldSpecs, kind, where)) return;
      if (c.prefix) addNamePrefix(resmap, c.prefix);
      if (c.suffix) addNameSuffix(resmap, c.suffix);
      return;
    }
    case 'ImageTagTransformer': {
      const c = parseConfig(kind, config, where);
      setImage(resmap, c.imageTag, where);
      return;
    }
    case 'ReplicaCountTransformer': {
      const c = parseConfig(kind, config, where);
      setReplicas(resmap, c.replica, where, specs(c.fieldSpecs));
      return;
    }
    case 'PatchTransformer': {
      const c = parseConfig(kind, config, where);
      applyPatch(resmap, c, loader, field);
      return;
    }
    case 'PatchStrategicMergeTransformer': {
      const c = parseConfig(kind, config, where);
      const entries = [...(c.paths ?? []), ...(c.patches ? [c.patches] : [])];
      if (entries.length === 0)
        fail('PatchStrategicMergeTransformer: empty file path and empty patch content', where);
      applyPatchesStrategicMerge(resmap, entries, loader);
      return;
    }
    case 'PatchJson6902Transformer': {
      const c = parseConfig(kind, config, where);
      const entry = { target: c.target, path: c.path, patch: c.jsonOp };
      applyPatchJson6902(resmap, entry, loader, field);
      return;
    }
    case 'ReplacementTransformer': {
      const c = parseConfig(kind, config, where);
      applyReplacements(resmap, c.replacements ?? [], loader);
      return;
    }
    default:
      return unsupported(`builtin plugin ${kind} is not supported here`, where);
  }
}

/** `transformers:`, after the kustomization's own transformers; objects a patch emptied go. */
export function runTransformerPlugins(
  resmap: ResMap,
  entries: readonly string[],
  loader: KustLoader,
  buildFolder: (path: string, field: string) => readonly Resource[],
): void {
  entries.forEach((entry, i) => {
    const field = `transformers[${i}]`;
    for (const config of loadConfigs(entry, loader, field, buildFolder)) {
      runTransformer(resmap, config, loader, field);
      resmap.dropEmpties();
    }
  });
}

/** `generators:`, after configMapGenerator and secretGenerator. */
export function runGeneratorPlugins(
  resmap: ResMap,
  entries: readonly string[],
  loader: KustLoader,
  buildFolder: (path: string, field: string) => readonly Resource[],
): void {
  entries.forEach((entry, i) => {
    const field = `generators[${i}]`;
    const where = loader.where(field);
    for (const config of loadConfigs(entry, loader, field, buildFolder)) {
      const kind = checkBuiltin(config, GENERATOR_KINDS, where);
      const c = parseConfig(kind, config, where) as z.infer<(typeof CONFIGS)['SecretGenerator']>;
      const args = {
        ...c,
        name: c.metadata?.name ?? '',
        namespace: c.metadata?.namespace,
        options: c.options,
      };
      loader.reader.countDocuments(1, where);
      const generated =
        kind === 'SecretGenerator'
          ? generateSecret(args, undefined, loader, field)
          : generateConfigMap(args, undefined, loader, field);
      generated.origin = { configuredIn: loader.file, configuredBy: kind };
      resmap.absorb(generated, where);
    }
  });
}
