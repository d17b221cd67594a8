import type { KubernetesObject, V1ObjectMeta } from '@kubernetes/client-node';

/**
 * A Kubernetes object as Flotilla handles it: apiVersion, kind and metadata.name are always
 * present once parsed; every other field is data we pass through untouched.
 */
export interface KubeObject extends KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: V1ObjectMeta & { name: string };
  [field: string]: unknown;
}

/** Identifies one object on a cluster. `namespace` is "" for cluster-scoped objects. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
}

/**
 * The files of one repository at one commit, keyed by POSIX path relative to the repository
 * root (no leading "./" or "/"). packages/git builds it (refusing symlinks that leave the
 * repository, bounding sizes); the engine never touches a file system.
 */
export type RepoFiles = ReadonlyMap<string, string>;

/** A cluster as targeting sees it. */
export interface ClusterFacts {
  id: string;
  name: string;
  labels: Readonly<Record<string, string>>;
}

/** A cluster group as targeting sees it: its own labels and the selector over clusters. */
export interface ClusterGroupFacts {
  name: string;
  labels: Readonly<Record<string, string>>;
  selector: LabelSelector;
}

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

/** Kubernetes' metav1.LabelSelector. An empty selector matches everything. */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}
