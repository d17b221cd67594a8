import { z } from 'zod';
import { EngineError } from '../errors.ts';
import { foldFieldNames } from './field-names.ts';
import { replacementEntry } from './transformers/replacements.ts';
import { varEntry } from './transformers/vars.ts';
import { parseYamlDocument } from './yaml.ts';

const text = z.string();
const texts = z.array(z.string());
const stringMap = z.record(z.string(), z.string());

const selector = z.strictObject({
  group: text.optional(),
  version: text.optional(),
  kind: text.optional(),
  name: text.optional(),
  namespace: text.optional(),
  labelSelector: text.optional(),
  annotationSelector: text.optional(),
});

const patch = z.strictObject({
  path: text.optional(),
  patch: text.optional(),
  target: selector.optional(),
  options: z.record(z.string(), z.boolean()).optional(),
});

const image = z.strictObject({
  name: text.default(''),
  newName: text.optional(),
  newTag: text.optional(),
  digest: text.optional(),
  tagSuffix: text.optional(),
});

const generatorOptions = z.strictObject({
  labels: stringMap.optional(),
  annotations: stringMap.optional(),
  disableNameSuffixHash: z.boolean().optional(),
  immutable: z.boolean().optional(),
});

const generatorArgs = {
  name: text.default(''),
  namespace: text.optional(),
  behavior: text.optional(),
  literals: texts.optional(),
  files: texts.optional(),
  envs: texts.optional(),
  env: text.optional(),
  options: generatorOptions.optional(),
};

const fieldSpec = z.strictObject({
  group: text.optional(),
  version: text.optional(),
  kind: text.optional(),
  path: text,
  create: z.boolean().optional(),
});

/** kustomize's HelmChart (HelmChartInflationGenerator's arguments). */
const helmChart = z.strictObject({
  name: text,
  version: text.optional(),
  repo: text.optional(),
  releaseName: text.optional(),
  namespace: text.optional(),
  nameTemplate: text.optional(),
  valuesFile: text.optional(),
  additionalValuesFiles: texts.optional(),
  valuesInline: z.record(z.string(), z.unknown()).optional(),
  valuesMerge: z.enum(['merge', 'override', 'replace']).optional(),
  includeCRDs: z.boolean().optional(),
  skipHooks: z.boolean().optional(),
  skipTests: z.boolean().optional(),
  apiVersions: texts.optional(),
  kubeVersion: text.optional(),
});

/** Fields kustomize has that this build does not implement: refused, never ignored. */
export const UNSUPPORTED_FIELDS = ['crds', 'validators', 'helmChartInflationGenerator'] as const;

const kustomizationSchema = z.strictObject({
  apiVersion: text.optional(),
  kind: text.optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
  resources: texts.default([]),
  bases: texts.default([]),
  components: texts.default([]),
  namespace: text.default(''),
  namePrefix: text.default(''),
  nameSuffix: text.default(''),
  commonLabels: stringMap.default({}),
  commonAnnotations: stringMap.default({}),
  labels: z
    .array(
      z.strictObject({
        pairs: stringMap.default({}),
        includeSelectors: z.boolean().default(false),
        includeTemplates: z.boolean().default(false),
        fields: z.array(fieldSpec).default([]),
      }),
    )
    .default([]),
  patchesStrategicMerge: texts.default([]),
  patchesJson6902: z.array(patch).default([]),
  patches: z.array(patch).default([]),
  images: z.array(image).default([]),
  replacements: z.array(replacementEntry).default([]),
  vars: z.array(varEntry).default([]),
  transformers: texts.default([]),
  configurations: texts.default([]),
  buildMetadata: z
    .array(z.enum(['managedByLabel', 'originAnnotations', 'transformerAnnotations']))
    .default([]),
  generators: texts.default([]),
  /** A custom OpenAPI schema (`path`) or a built-in Kubernetes version (`version`). */
  openapi: z.strictObject({ path: text.optional(), version: text.optional() }).optional(),
  imageTags: z.array(image).default([]),
  replicas: z.array(z.strictObject({ name: text, count: z.number().int() })).default([]),
  configMapGenerator: z.array(z.strictObject(generatorArgs)).default([]),
  secretGenerator: z.array(z.strictObject({ ...generatorArgs, type: text.optional() })).default([]),
  generatorOptions: generatorOptions.optional(),
  helmCharts: z.array(helmChart).default([]),
  helmGlobals: z
    .strictObject({ chartHome: text.optional(), configHome: text.optional() })
    .optional(),
  sortOptions: z
    .strictObject({
      order: z.enum(['legacy', 'fifo']),
      legacySortOptions: z
        .strictObject({ orderFirst: texts.default([]), orderLast: texts.default([]) })
        .optional(),
    })
    .optional(),
  ...Object.fromEntries(UNSUPPORTED_FIELDS.map((field) => [field, z.unknown().optional()])),
});

export type Kustomization = z.infer<typeof kustomizationSchema>;
export type HelmChartEntry = z.infer<typeof helmChart>;
export type PatchEntry = z.infer<typeof patch>;
export type ImageEntry = z.infer<typeof image>;
export type GeneratorOptions = z.infer<typeof generatorOptions>;
export type ConfigMapArgs = Kustomization['configMapGenerator'][number];
export type SecretArgs = Kustomization['secretGenerator'][number];

const KUSTOMIZATION_API = 'kustomize.config.k8s.io/v1beta1';
const COMPONENT_API = 'kustomize.config.k8s.io/v1alpha1';

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    const at = path ? ` in ${path}` : '';
    return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}${at}`;
  }
  return `${path || 'the file'}: ${issue.message}`;
}

/**
 * Reads a kustomization file the way kustomize does: unknown fields are errors; `bases` and
 * `imageTags` are folded into `resources` and `images`; an empty file is an error.
 */
export function parseKustomization(content: string, file: string): Kustomization {
  const fail = (why: string): never => {
    throw new EngineError('KustomizeFailed', `${file}: invalid Kustomization: ${why}`, file);
  };
  const raw = parseYamlDocument(content, file, 'kustomization') ?? {};
  if (typeof raw !== 'object' || Array.isArray(raw)) fail('expected a map');
  // Go decodes an empty field (`resources:`) as absent.
  const present = foldFieldNames(
    Object.fromEntries(
      Object.entries(raw as Record<string, unknown>).filter(([, value]) => value !== null),
    ),
    kustomizationSchema,
  ) as Record<string, unknown>;
  if (Object.keys(present).every((key) => key === 'apiVersion' || key === 'kind')) {
    throw new EngineError('KustomizeFailed', `${file}: kustomization is empty`, file);
  }
  const parsed = kustomizationSchema.safeParse(present);
  if (!parsed.success) return fail(parsed.error.issues.map(describeIssue).join('; '));
  const kustomization = parsed.data;

  const isComponent = kustomization.kind === 'Component';
  if (kustomization.kind !== undefined && kustomization.kind !== 'Kustomization' && !isComponent) {
    fail('kind should be Kustomization or Component');
  }
  const requiredApi = isComponent ? COMPONENT_API : KUSTOMIZATION_API;
  if (kustomization.apiVersion !== undefined && kustomization.apiVersion !== requiredApi) {
    fail(`apiVersion for ${kustomization.kind ?? 'Kustomization'} should be ${requiredApi}`);
  }
  for (const field of UNSUPPORTED_FIELDS) {
    if (present[field] !== undefined) {
      throw new EngineError(
        'Unsupported',
        `${file}: kustomization field "${field}" is not supported by Flotilla's kustomize`,
        file,
      );
    }
  }
  return {
    ...kustomization,
    resources: [...kustomization.resources, ...kustomization.bases],
    bases: [],
    images: [...kustomization.images, ...kustomization.imageTags],
    imageTags: [],
  };
}
