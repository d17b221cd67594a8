import { z } from 'zod';
import { EngineError } from '../errors.ts';
import type { FieldSpec } from './field-spec.ts';
import { foldFieldNames } from './field-names.ts';
import type { NameReference } from './field-specs.ts';
import type { KustLoader } from './loader.ts';
import { parseYamlDocument } from './yaml.ts';

/**
 * A kustomization's `configurations:` files: field specs added to kustomize's builtin ones, so
 * that commonLabels, commonAnnotations, images, vars and name references reach the fields of
 * custom resources. As in kustomize, a kustomization's configuration also applies to the
 * kustomizations that include it, up to the top.
 */
export interface TransformerConfig {
  commonLabels: FieldSpec[];
  commonAnnotations: FieldSpec[];
  images: FieldSpec[];
  varReference: FieldSpec[];
  nameReference: NameReference[];
}

export function emptyConfig(): TransformerConfig {
  return {
    commonLabels: [],
    commonAnnotations: [],
    images: [],
    varReference: [],
    nameReference: [],
  };
}

const text = z.string();
const fieldSpec = z.object({
  group: text.optional(),
  version: text.optional(),
  kind: text.optional(),
  path: text,
  create: z.boolean().optional(),
});
const specs = z.array(fieldSpec).optional();

// kustomize reads these files with plain yaml.Unmarshal: unknown fields are ignored.
const configFile = z.object({
  commonLabels: specs,
  commonAnnotations: specs,
  images: specs,
  varReference: specs,
  nameReference: z
    .array(
      z.object({
        group: text.optional(),
        version: text.optional(),
        kind: text.optional(),
        fieldSpecs: specs,
      }),
    )
    .optional(),
  // Transformers whose field specs this build keeps fixed.
  namePrefix: specs,
  nameSuffix: specs,
  namespace: specs,
  replicas: specs,
  templateLabels: specs,
});

const sameGvk = (a: Partial<FieldSpec>, b: Partial<FieldSpec>) =>
  (a.group ?? '') === (b.group ?? '') &&
  (a.version ?? '') === (b.version ?? '') &&
  (a.kind ?? '') === (b.kind ?? '');

/** kustomize's FsSlice merge: a spec for the same kind and path is kept once. */
export function mergeFieldSpecs(
  into: readonly FieldSpec[],
  more: readonly FieldSpec[],
  where: string,
): FieldSpec[] {
  const merged = [...into];
  for (const spec of more) {
    const known = merged.find((existing) => sameGvk(existing, spec) && existing.path === spec.path);
    if (!known) {
      merged.push(spec);
      continue;
    }
    if (Boolean(known.create) !== Boolean(spec.create)) {
      throw new EngineError(
        'KustomizeFailed',
        `${where}: conflicting fieldspecs for path ${spec.path}: create is both ${String(Boolean(known.create))} and ${String(Boolean(spec.create))}`,
        where,
      );
    }
  }
  return merged;
}

export function mergeNameReferences(
  into: readonly NameReference[],
  more: readonly NameReference[],
  where: string,
): NameReference[] {
  const merged = into.map((entry) => ({ ...entry, referrers: [...entry.referrers] }));
  for (const entry of more) {
    const known = merged.find((existing) => sameGvk(existing.target, entry.target));
    if (known) known.referrers = mergeFieldSpecs(known.referrers, entry.referrers, where);
    else merged.push({ target: { ...entry.target }, referrers: [...entry.referrers] });
  }
  return merged;
}

export function mergeConfig(into: TransformerConfig, more: TransformerConfig, where: string): void {
  into.commonLabels = mergeFieldSpecs(into.commonLabels, more.commonLabels, where);
  into.commonAnnotations = mergeFieldSpecs(into.commonAnnotations, more.commonAnnotations, where);
  into.images = mergeFieldSpecs(into.images, more.images, where);
  into.varReference = mergeFieldSpecs(into.varReference, more.varReference, where);
  into.nameReference = mergeNameReferences(into.nameReference, more.nameReference, where);
}

const toSpec = (spec: z.infer<typeof fieldSpec>): FieldSpec => ({
  path: spec.path,
  create: spec.create ?? false,
  group: spec.group ?? '',
  version: spec.version ?? '',
  kind: spec.kind ?? '',
});

/** Reads the `configurations:` files of one kustomization. */
export function loadConfigurations(
  paths: readonly string[],
  loader: KustLoader,
): TransformerConfig {
  const config = emptyConfig();
  paths.forEach((entry, i) => {
    const field = `configurations[${i}]`;
    const where = loader.where(field);
    const { path, text: content } = loader.readFile(entry, field);
    const raw = parseYamlDocument(content, path, 'kustomization') ?? {};
    const parsed = configFile.safeParse(foldFieldNames(raw, configFile));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new EngineError(
        'KustomizeFailed',
        `${where}: ${path}: ${issue?.path.join('.') || 'the file'}: ${issue?.message ?? 'invalid'}`,
        where,
      );
    }
    const file = parsed.data;
    for (const fixed of [
      'namePrefix',
      'nameSuffix',
      'namespace',
      'replicas',
      'templateLabels',
    ] as const) {
      if (file[fixed]?.length) {
        throw new EngineError(
          'Unsupported',
          `${where}: ${path}: "${fixed}" field specs are not supported by Flotilla's kustomize (commonLabels, commonAnnotations, images, varReference and nameReference are)`,
          where,
        );
      }
    }
    mergeConfig(
      config,
      {
        commonLabels: (file.commonLabels ?? []).map(toSpec),
        commonAnnotations: (file.commonAnnotations ?? []).map(toSpec),
        images: (file.images ?? []).map(toSpec),
        varReference: (file.varReference ?? []).map(toSpec),
        nameReference: (file.nameReference ?? []).map((entry) => ({
          target: {
            group: entry.group ?? '',
            version: entry.version ?? '',
            kind: entry.kind ?? '',
          },
          referrers: (entry.fieldSpecs ?? []).map(toSpec),
        })),
      },
      where,
    );
  });
  return config;
}
