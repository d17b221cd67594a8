import { stringify } from 'yaml';
import type { KubeObject } from '../types.ts';

/** Largest YAML text of one object the dashboard is sent; the rest is cut with a note. */
export const MAX_SHOWN_YAML_CHARS = 64 * 1024;

/** What stands in for every value of a Secret's data (the same for every value and side). */
export const SECRET_MASK = '********';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * An object made fit to show: a Secret's `data` and `stringData` values masked, and the
 * fields that only repeat the object (managedFields) or may carry a Secret's data verbatim
 * (kubectl's last-applied annotation, a JSON copy of the whole object) left out. Used on the
 * desired and the live side alike, so neither can show what the other hides.
 */
export function showableObject(object: KubeObject): KubeObject {
  const { managedFields: _managedFields, ...metadata } = object.metadata;
  void _managedFields;
  const annotations = metadata.annotations ? { ...metadata.annotations } : undefined;
  if (annotations && LAST_APPLIED in annotations) annotations[LAST_APPLIED] = SECRET_MASK;
  // kubectl's order: apiVersion, kind and metadata first, whatever order the source had.
  const { apiVersion, kind, metadata: _metadata, ...rest } = object;
  void _metadata;
  const copy: KubeObject = {
    apiVersion,
    kind,
    metadata: { ...metadata, ...(annotations ? { annotations } : {}) },
    ...rest,
  };
  if (object.kind !== 'Secret') return copy;
  for (const field of ['data', 'stringData']) {
    const values = copy[field];
    if (typeof values === 'object' && values !== null && !Array.isArray(values))
      copy[field] = Object.fromEntries(Object.keys(values).map((key) => [key, SECRET_MASK]));
  }
  return copy;
}

/** The object as YAML, masked (showableObject), cut at MAX_SHOWN_YAML_CHARS with a comment. */
export function showObjectYaml(object: KubeObject): { yaml: string; isTruncated: boolean } {
  const yaml = stringify(showableObject(object), { lineWidth: 0, aliasDuplicateObjects: false });
  if (yaml.length <= MAX_SHOWN_YAML_CHARS) return { yaml, isTruncated: false };
  return {
    yaml: `${yaml.slice(0, MAX_SHOWN_YAML_CHARS)}\n# … cut: the object is longer than ${MAX_SHOWN_YAML_CHARS / 1024} KiB\n`,
    isTruncated: true,
  };
}
