import type { FieldSpec } from '../field-spec.ts';
import { setMapEntry, visitFieldSpec } from '../field-spec.ts';
import {
  COMMON_ANNOTATIONS,
  COMMON_LABELS,
  METADATA_LABELS_ONLY,
  TEMPLATE_LABELS,
} from '../field-specs.ts';
import type { Kustomization } from '../kustomization.ts';
import { mergeFieldSpecs } from '../transformer-config.ts';
import type { ResMap } from '../res-map.ts';
import { gvkSelected } from '../resource.ts';

/** Sets each key=value in the maps the field specs designate (LabelTransformer and friends). */
export function setEntries(
  resmap: ResMap,
  entries: Record<string, string>,
  specs: FieldSpec[],
  where: string,
): void {
  const keys = Object.keys(entries).sort();
  if (keys.length === 0) return;
  for (const resource of resmap.resources) {
    for (const key of keys) {
      for (const spec of specs) {
        visitFieldSpec(
          resource.object,
          spec,
          'map',
          (slot) => setMapEntry(slot, key, entries[key] ?? '', where),
          where,
        );
      }
    }
  }
}

/** Adds a spec unless one with the same path already selects its kind (kustomize's merge). */
function mergeSpecs(specs: FieldSpec[], more: FieldSpec[]): FieldSpec[] {
  const merged = [...specs];
  for (const spec of more) {
    const known = merged.some(
      (existing) =>
        existing.path === spec.path &&
        gvkSelected(
          {
            group: existing.group ?? '',
            version: existing.version ?? '',
            kind: existing.kind ?? '',
          },
          spec,
        ),
    );
    if (!known) merged.push(spec);
  }
  return merged;
}

/**
 * `labels:` entries, then `commonLabels:` (which also go into selectors and pod templates).
 * A `labels` entry reaches selectors only with includeSelectors, templates with
 * includeTemplates, and its own `fields`.
 */
export function addLabels(resmap: ResMap, kustomization: Kustomization, where: string): void {
  for (const label of kustomization.labels) {
    let specs: FieldSpec[] = label.fields.map((field) => ({ ...field }));
    if (label.includeSelectors) {
      specs = mergeSpecs(specs, mergeFieldSpecs(COMMON_LABELS, resmap.config.commonLabels, where));
    } else {
      if (label.includeTemplates) specs = mergeSpecs(specs, TEMPLATE_LABELS);
      specs = mergeSpecs(specs, METADATA_LABELS_ONLY);
    }
    setEntries(resmap, label.pairs, specs, where);
  }
  const commonLabels = mergeFieldSpecs(COMMON_LABELS, resmap.config.commonLabels, where);
  setEntries(resmap, kustomization.commonLabels, commonLabels, where);
}

export function addAnnotations(
  resmap: ResMap,
  annotations: Record<string, string>,
  where: string,
): void {
  const specs = mergeFieldSpecs(COMMON_ANNOTATIONS, resmap.config.commonAnnotations, where);
  setEntries(resmap, annotations, specs, where);
}
