import type { KubeObject } from './types.ts';

/**
 * Labels that mark an object as Flotilla's. They live under Flotilla's own prefix:
 * "app.kubernetes.io/managed-by" is set by Helm and kustomize users themselves, and taking it
 * over would both clobber their value and make prune think their objects are ours.
 */
export const MANAGED_BY_LABEL = 'flotilla.io/managed-by';
export const MANAGED_BY_VALUE = 'flotilla';
export const WORKSPACE_ID_LABEL = 'flotilla.io/workspace-id';
export const BUNDLE_ID_LABEL = 'flotilla.io/bundle-id';
/**
 * On a namespace Flotilla created only because a bundle deploys into it (ensureNamespaces): a
 * bundle that lists that Namespace itself takes it over without a conflict, since no person
 * made it. An annotation, not a label, so that no selector or prune ever counts it as owned.
 */
export const CREATED_NAMESPACE_ANNOTATION = 'flotilla.io/created-namespace';

export interface Ownership {
  workspaceId: string;
  bundleId: string;
}

// A Kubernetes label value: at most 63 characters, alphanumerics with - _ . inside.
const LABEL_VALUE = /^(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)$/;

function labelValue(name: string, value: string): string {
  if (!LABEL_VALUE.test(value)) {
    throw new TypeError(`${name} "${value}" cannot be a Kubernetes label value`);
  }
  return value;
}

export function ownershipLabels({ workspaceId, bundleId }: Ownership): Record<string, string> {
  return {
    [MANAGED_BY_LABEL]: MANAGED_BY_VALUE,
    [WORKSPACE_ID_LABEL]: labelValue('workspaceId', workspaceId),
    [BUNDLE_ID_LABEL]: labelValue('bundleId', bundleId),
  };
}

/** A copy of the object carrying the ownership labels; the input is left untouched. */
export function withOwnership(object: KubeObject, ownership: Ownership): KubeObject {
  return {
    ...object,
    metadata: {
      ...object.metadata,
      labels: { ...object.metadata.labels, ...ownershipLabels(ownership) },
    },
  };
}

/** The label selector of one bundle's objects, for listLive. */
export function ownershipSelector(ownership: Ownership): string {
  return Object.entries(ownershipLabels(ownership))
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
}

/** The label prune checks before deleting: only objects still carrying it are deleted. */
export function ownerLabel({ bundleId }: Pick<Ownership, 'bundleId'>): {
  key: string;
  value: string;
} {
  return { key: BUNDLE_ID_LABEL, value: labelValue('bundleId', bundleId) };
}
