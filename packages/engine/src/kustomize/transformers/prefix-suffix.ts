import type { ResMap } from '../res-map.ts';
import { gvkSelected, type Resource } from '../resource.ts';

// kustomize never renames these: their names are fixed by what they define.
const NEVER_RENAMED = [
  { kind: 'CustomResourceDefinition' },
  { group: 'apiregistration.k8s.io', kind: 'APIService' },
  { kind: 'Namespace' },
];

function rename(resmap: ResMap, apply: (resource: Resource) => void): void {
  for (const resource of resmap.resources) {
    const original = resource.orgId();
    if (NEVER_RENAMED.some((selector) => gvkSelected(original, selector))) continue;
    resource.storePreviousId();
    apply(resource);
  }
}

/** `namePrefix:`; the old name is remembered so references to it can follow. */
export function addNamePrefix(resmap: ResMap, prefix: string): void {
  rename(resmap, (resource) => {
    resource.prefixes.push(prefix);
    resource.name = `${prefix}${resource.name}`;
  });
}

export function addNameSuffix(resmap: ResMap, suffix: string): void {
  rename(resmap, (resource) => {
    resource.suffixes.push(suffix);
    resource.name = `${resource.name}${suffix}`;
  });
}
