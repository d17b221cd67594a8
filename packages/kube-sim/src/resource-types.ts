import { createHash } from 'node:crypto';
import { builtinSchema } from './builtin-schemas.ts';
import type { JsonObject } from './json.ts';
import type { TypeSchema } from './type-schema.ts';

/** One served resource (a group/version/plural), as discovery describes it. */
export interface ResourceType {
  group: string;
  version: string;
  /** The plural, lower-case name in URLs. */
  resource: string;
  kind: string;
  listKind: string;
  singularName: string;
  isNamespaced: boolean;
  verbs: string[];
  shortNames: string[];
  categories: string[];
  hasStatus: boolean;
  /** Kinds whose spec changes bump metadata.generation. */
  hasGeneration: boolean;
  isCustom: boolean;
  storageVersion: string;
  schema: TypeSchema;
  /** The CRD's openAPIV3Schema for custom resources (validation and pruning). */
  openApi?: JsonObject;
}

export const ALL_VERBS = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];
const NO_COLLECTION_DELETE = ALL_VERBS.filter((verb) => verb !== 'deletecollection');
// The order the v1.20 server lists custom resource verbs in.
export const CUSTOM_VERBS = [
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'create',
  'update',
  'watch',
];

interface BuiltinSpec {
  gv: string;
  resource: string;
  kind: string;
  isNamespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  hasStatus?: boolean;
  hasGeneration?: boolean;
  verbs?: string[];
  /** The version etcd stores, when not the served one (it feeds storageVersionHash). */
  storageVersion?: string;
}

const ns = true;
const cluster = false;

/*
 * The built-in resources served, as a v1.20.2 kube-apiserver lists them in discovery. Scale,
 * proxy, exec and the other connect subresources are left out: nothing here serves them.
 */
const BUILTINS: BuiltinSpec[] = [
  { gv: 'v1', resource: 'configmaps', kind: 'ConfigMap', isNamespaced: ns, shortNames: ['cm'] },
  { gv: 'v1', resource: 'endpoints', kind: 'Endpoints', isNamespaced: ns, shortNames: ['ep'] },
  { gv: 'v1', resource: 'events', kind: 'Event', isNamespaced: ns, shortNames: ['ev'] },
  {
    gv: 'v1',
    resource: 'limitranges',
    kind: 'LimitRange',
    isNamespaced: ns,
    shortNames: ['limits'],
  },
  {
    gv: 'v1',
    resource: 'namespaces',
    kind: 'Namespace',
    isNamespaced: cluster,
    shortNames: ['ns'],
    hasStatus: true,
    verbs: NO_COLLECTION_DELETE,
  },
  {
    gv: 'v1',
    resource: 'nodes',
    kind: 'Node',
    isNamespaced: cluster,
    shortNames: ['no'],
    hasStatus: true,
  },
  {
    gv: 'v1',
    resource: 'persistentvolumeclaims',
    kind: 'PersistentVolumeClaim',
    isNamespaced: ns,
    shortNames: ['pvc'],
    hasStatus: true,
  },
  {
    gv: 'v1',
    resource: 'persistentvolumes',
    kind: 'PersistentVolume',
    isNamespaced: cluster,
    shortNames: ['pv'],
    hasStatus: true,
  },
  {
    gv: 'v1',
    resource: 'pods',
    kind: 'Pod',
    isNamespaced: ns,
    shortNames: ['po'],
    categories: ['all'],
    hasStatus: true,
  },
  { gv: 'v1', resource: 'podtemplates', kind: 'PodTemplate', isNamespaced: ns },
  {
    gv: 'v1',
    resource: 'replicationcontrollers',
    kind: 'ReplicationController',
    isNamespaced: ns,
    shortNames: ['rc'],
    categories: ['all'],
    hasStatus: true,
    hasGeneration: true,
  },
  {
    gv: 'v1',
    resource: 'resourcequotas',
    kind: 'ResourceQuota',
    isNamespaced: ns,
    shortNames: ['quota'],
    hasStatus: true,
  },
  { gv: 'v1', resource: 'secrets', kind: 'Secret', isNamespaced: ns },
  {
    gv: 'v1',
    resource: 'serviceaccounts',
    kind: 'ServiceAccount',
    isNamespaced: ns,
    shortNames: ['sa'],
  },
  {
    gv: 'v1',
    resource: 'services',
    kind: 'Service',
    isNamespaced: ns,
    shortNames: ['svc'],
    categories: ['all'],
    hasStatus: true,
    verbs: NO_COLLECTION_DELETE,
  },
  { gv: 'apps/v1', resource: 'controllerrevisions', kind: 'ControllerRevision', isNamespaced: ns },
  {
    gv: 'apps/v1',
    resource: 'daemonsets',
    kind: 'DaemonSet',
    isNamespaced: ns,
    shortNames: ['ds'],
    categories: ['all'],
    hasStatus: true,
    hasGeneration: true,
  },
  {
    gv: 'apps/v1',
    resource: 'deployments',
    kind: 'Deployment',
    isNamespaced: ns,
    shortNames: ['deploy'],
    categories: ['all'],
    hasStatus: true,
    hasGeneration: true,
  },
  {
    gv: 'apps/v1',
    resource: 'replicasets',
    kind: 'ReplicaSet',
    isNamespaced: ns,
    shortNames: ['rs'],
    categories: ['all'],
    hasStatus: true,
    hasGeneration: true,
  },
  {
    gv: 'apps/v1',
    resource: 'statefulsets',
    kind: 'StatefulSet',
    isNamespaced: ns,
    shortNames: ['sts'],
    categories: ['all'],
    hasStatus: true,
    hasGeneration: true,
  },
  {
    gv: 'batch/v1',
    resource: 'jobs',
    kind: 'Job',
    isNamespaced: ns,
    categories: ['all'],
    hasStatus: true,
  },
  {
    gv: 'batch/v1beta1',
    resource: 'cronjobs',
    kind: 'CronJob',
    isNamespaced: ns,
    shortNames: ['cj'],
    categories: ['all'],
    hasStatus: true,
  },
  {
    gv: 'networking.k8s.io/v1',
    resource: 'ingressclasses',
    kind: 'IngressClass',
    isNamespaced: cluster,
    storageVersion: 'v1beta1',
  },
  {
    gv: 'networking.k8s.io/v1',
    resource: 'ingresses',
    kind: 'Ingress',
    isNamespaced: ns,
    shortNames: ['ing'],
    hasStatus: true,
    hasGeneration: true,
    storageVersion: 'v1beta1',
  },
  {
    gv: 'networking.k8s.io/v1',
    resource: 'networkpolicies',
    kind: 'NetworkPolicy',
    isNamespaced: ns,
    shortNames: ['netpol'],
    hasGeneration: true,
  },
  {
    gv: 'rbac.authorization.k8s.io/v1',
    resource: 'clusterrolebindings',
    kind: 'ClusterRoleBinding',
    isNamespaced: cluster,
  },
  {
    gv: 'rbac.authorization.k8s.io/v1',
    resource: 'clusterroles',
    kind: 'ClusterRole',
    isNamespaced: cluster,
  },
  {
    gv: 'rbac.authorization.k8s.io/v1',
    resource: 'rolebindings',
    kind: 'RoleBinding',
    isNamespaced: ns,
  },
  { gv: 'rbac.authorization.k8s.io/v1', resource: 'roles', kind: 'Role', isNamespaced: ns },
  {
    gv: 'apiextensions.k8s.io/v1',
    resource: 'customresourcedefinitions',
    kind: 'CustomResourceDefinition',
    isNamespaced: cluster,
    shortNames: ['crd', 'crds'],
    categories: ['api-extensions'],
    hasStatus: true,
    hasGeneration: true,
    storageVersion: 'v1beta1',
  },
  {
    gv: 'policy/v1beta1',
    resource: 'poddisruptionbudgets',
    kind: 'PodDisruptionBudget',
    isNamespaced: ns,
    shortNames: ['pdb'],
    hasStatus: true,
    hasGeneration: true,
  },
  {
    gv: 'policy/v1beta1',
    resource: 'podsecuritypolicies',
    kind: 'PodSecurityPolicy',
    isNamespaced: cluster,
    shortNames: ['psp'],
  },
  {
    gv: 'autoscaling/v1',
    resource: 'horizontalpodautoscalers',
    kind: 'HorizontalPodAutoscaler',
    isNamespaced: ns,
    shortNames: ['hpa'],
    categories: ['all'],
    hasStatus: true,
  },
  {
    gv: 'storage.k8s.io/v1',
    resource: 'csidrivers',
    kind: 'CSIDriver',
    isNamespaced: cluster,
    storageVersion: 'v1beta1',
  },
  { gv: 'storage.k8s.io/v1', resource: 'csinodes', kind: 'CSINode', isNamespaced: cluster },
  {
    gv: 'storage.k8s.io/v1',
    resource: 'storageclasses',
    kind: 'StorageClass',
    isNamespaced: cluster,
    shortNames: ['sc'],
  },
  {
    gv: 'storage.k8s.io/v1',
    resource: 'volumeattachments',
    kind: 'VolumeAttachment',
    isNamespaced: cluster,
    hasStatus: true,
  },
];

export function splitGroupVersion(groupVersion: string): { group: string; version: string } {
  const slash = groupVersion.indexOf('/');
  return slash < 0
    ? { group: '', version: groupVersion }
    : { group: groupVersion.slice(0, slash), version: groupVersion.slice(slash + 1) };
}

export function groupVersionOf(type: Pick<ResourceType, 'group' | 'version'>): string {
  return type.group === '' ? type.version : `${type.group}/${type.version}`;
}

/** Discovery's storageVersionHash: the first 8 bytes of sha256("group/storageVersion/Kind"). */
export function storageVersionHash(
  type: Pick<ResourceType, 'group' | 'storageVersion' | 'kind'>,
): string {
  return createHash('sha256')
    .update(`${type.group}/${type.storageVersion}/${type.kind}`)
    .digest()
    .subarray(0, 8)
    .toString('base64');
}

/** Shared by every simulated cluster: built-in types never change. */
export const BUILTIN_TYPES: readonly ResourceType[] = BUILTINS.map((spec) => {
  const { group, version } = splitGroupVersion(spec.gv);
  return {
    group,
    version,
    resource: spec.resource,
    kind: spec.kind,
    listKind: `${spec.kind}List`,
    singularName: '',
    isNamespaced: spec.isNamespaced,
    verbs: spec.verbs ?? ALL_VERBS,
    shortNames: spec.shortNames ?? [],
    categories: spec.categories ?? [],
    hasStatus: spec.hasStatus ?? false,
    hasGeneration: spec.hasGeneration ?? false,
    isCustom: false,
    storageVersion: spec.storageVersion ?? version,
    schema: builtinSchema(group, version, spec.kind),
  };
});

/** Key of a resource in storage and in the per-cluster type table. */
export function typeKey(group: string, version: string, resource: string): string {
  return `${group}/${version}/${resource}`;
}
