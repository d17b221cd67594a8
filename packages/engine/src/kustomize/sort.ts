import type { KubeObject } from '../types.ts';
import type { Kustomization } from './kustomization.ts';
import { splitApiVersion, type Gvk } from './resource.ts';

// kustomize's legacy order: what must exist first (namespaces, CRDs, RBAC, config) first,
// webhooks last, everything else by group, version, kind, then namespace and name.
const ORDER_FIRST = [
  'Namespace',
  'ResourceQuota',
  'StorageClass',
  'CustomResourceDefinition',
  'ServiceAccount',
  'PodSecurityPolicy',
  'Role',
  'ClusterRole',
  'RoleBinding',
  'ClusterRoleBinding',
  'ConfigMap',
  'Secret',
  'Endpoints',
  'Service',
  'LimitRange',
  'PriorityClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'Deployment',
  'StatefulSet',
  'CronJob',
  'PodDisruptionBudget',
];
const ORDER_LAST = ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'];

function gvkKey(gvk: Gvk): string {
  return [gvk.group || '~G', gvk.version || '~V', gvk.kind || '~K'].join('_');
}

function idKey(gvk: Gvk, namespace: string, name: string): string {
  const gvkString = `${gvk.kind || '[noKind]'}.${gvk.version || '[noVer]'}.${gvk.group || '[noGrp]'}`;
  return [gvkString, namespace || '~X', name || '~N'].join('|');
}

const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Orders the output as `kubectl kustomize` does: the legacy kind order unless the top
 * kustomization asks for `sortOptions: {order: fifo}` (input order).
 */
export function sortResources(
  objects: KubeObject[],
  sortOptions: Kustomization['sortOptions'],
): KubeObject[] {
  if (sortOptions?.order === 'fifo') return objects;
  const first = sortOptions?.legacySortOptions?.orderFirst ?? ORDER_FIRST;
  const last = sortOptions?.legacySortOptions?.orderLast ?? ORDER_LAST;
  const rank = new Map<string, number>();
  first.forEach((kind, i) => rank.set(kind, i - first.length));
  last.forEach((kind, i) => rank.set(kind, i + 1));

  const keyed = objects.map((object) => {
    const gvk = { ...splitApiVersion(object.apiVersion), kind: object.kind };
    return {
      object,
      gvk,
      rank: rank.get(gvk.kind) ?? 0,
      id: idKey(gvk, object.metadata.namespace ?? '', object.metadata.name),
    };
  });
  keyed.sort((a, b) => {
    if (gvkKey(a.gvk) !== gvkKey(b.gvk)) {
      if (a.rank !== b.rank) return a.rank - b.rank;
      const bothNamespaces = a.gvk.kind === 'Namespace' && b.gvk.kind === 'Namespace';
      // kustomize puts the core Namespace after other groups' Namespace kinds.
      if (bothNamespaces && (a.gvk.group === '' || b.gvk.group === '')) {
        return byteOrder(gvkKey(b.gvk), gvkKey(a.gvk));
      }
      return byteOrder(gvkKey(a.gvk), gvkKey(b.gvk));
    }
    return byteOrder(a.id, b.id);
  });
  return keyed.map(({ object }) => object);
}
