import { resourceHealth } from '../health/resource-health.ts';
import type { HealthStatus } from '../health/health-status.ts';
import { apiGroupOf } from '../objects/object-identity.ts';
import type { KubeObject } from '../types.ts';

/** One object of a deployment's resource tree, with what owns it above and what it owns below. */
export interface ResourceTreeNode {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  uid: string;
  health: HealthStatus;
  healthMessage: string;
  children: ResourceTreeNode[];
}

/**
 * Which kinds own which: Kubernetes' controllers make ReplicaSets for Deployments and Pods for
 * ReplicaSets, StatefulSets, DaemonSets and Jobs (and Jobs for CronJobs). Only these are
 * followed, so the tree costs a few namespaced LISTs however large the bundle is.
 */
export const OWNED_KINDS: Readonly<
  Record<string, readonly { apiVersion: string; kind: string }[]>
> = {
  'apps/Deployment': [{ apiVersion: 'apps/v1', kind: 'ReplicaSet' }],
  'apps/ReplicaSet': [{ apiVersion: 'v1', kind: 'Pod' }],
  'apps/StatefulSet': [{ apiVersion: 'v1', kind: 'Pod' }],
  'apps/DaemonSet': [{ apiVersion: 'v1', kind: 'Pod' }],
  'batch/Job': [{ apiVersion: 'v1', kind: 'Pod' }],
  'batch/CronJob': [{ apiVersion: 'batch/v1', kind: 'Job' }],
};

/** Children of one owner shown at most; a Deployment keeps ten old ReplicaSets by default. */
export const MAX_CHILDREN = 50;

function ownedKindsOf(object: KubeObject) {
  return OWNED_KINDS[`${apiGroupOf(object.apiVersion)}/${object.kind}`] ?? [];
}

/** The kinds to list, per namespace, to find the children of these objects (and theirs). */
export function kindsToFollow(
  roots: readonly KubeObject[],
): { apiVersion: string; kind: string; namespace: string }[] {
  const wanted = new Map<string, { apiVersion: string; kind: string; namespace: string }>();
  const visit = (apiVersion: string, kind: string, namespace: string, depth: number) => {
    if (depth > 3) return;
    for (const child of OWNED_KINDS[`${apiGroupOf(apiVersion)}/${kind}`] ?? []) {
      const key = `${child.apiVersion}|${child.kind}|${namespace}`;
      if (wanted.has(key)) continue;
      wanted.set(key, { ...child, namespace });
      visit(child.apiVersion, child.kind, namespace, depth + 1);
    }
  };
  for (const root of roots) {
    const namespace = root.metadata.namespace ?? '';
    // Owner references never cross namespaces, and a cluster-scoped owner has no such children.
    if (namespace !== '' && ownedKindsOf(root).length > 0)
      visit(root.apiVersion, root.kind, namespace, 0);
  }
  return [...wanted.values()];
}

/**
 * The tree under a deployment's objects: each live object with the objects whose
 * ownerReferences name its uid (in the same namespace), their health by the engine's rules,
 * children sorted by name. A root not on the cluster is a Missing node without children.
 */
export function buildResourceTree({
  roots,
  candidates,
}: {
  /** The deployment's objects: live, or only their reference when not on the cluster. */
  roots: readonly (
    | { live: KubeObject }
    | { missing: { apiVersion: string; kind: string; namespace: string; name: string } }
  )[];
  /** Objects that may be owned by them (the lists of kindsToFollow). */
  candidates: readonly KubeObject[];
}): ResourceTreeNode[] {
  const byOwner = new Map<string, KubeObject[]>();
  for (const candidate of candidates) {
    for (const owner of candidate.metadata.ownerReferences ?? []) {
      const key = `${candidate.metadata.namespace ?? ''}|${owner.uid}`;
      const list = byOwner.get(key) ?? [];
      list.push(candidate);
      byOwner.set(key, list);
    }
  }
  const nodeOf = (object: KubeObject, seen: Set<string>): ResourceTreeNode => {
    const uid = object.metadata.uid ?? '';
    const namespace = object.metadata.namespace ?? '';
    const { status, message } = resourceHealth(object);
    // A uid seen above is an ownership loop (only a hand-made object could make one).
    const owned = uid && !seen.has(uid) ? (byOwner.get(`${namespace}|${uid}`) ?? []) : [];
    const next = new Set(seen).add(uid);
    return {
      apiVersion: object.apiVersion,
      kind: object.kind,
      namespace,
      name: object.metadata.name,
      uid,
      health: status,
      healthMessage: message,
      children: [...owned]
        .sort(
          (a, b) => a.kind.localeCompare(b.kind) || a.metadata.name.localeCompare(b.metadata.name),
        )
        .slice(0, MAX_CHILDREN)
        .map((child) => nodeOf(child, next)),
    };
  };
  return roots.map((root) => {
    if ('live' in root) return nodeOf(root.live, new Set());
    const { status, message } = resourceHealth(undefined);
    return { ...root.missing, uid: '', health: status, healthMessage: message, children: [] };
  });
}
