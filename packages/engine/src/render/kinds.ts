import { apiGroupOf } from '../objects/object-identity.ts';
import type { KubeObject } from '../types.ts';
import { isPlainObject } from './parse-yaml.ts';

/**
 * Kinds the Kubernetes API serves without a namespace, by "group/kind". Rendering has no cluster
 * to ask (no discovery), so the built-in ones are listed here and custom ones come from the
 * CustomResourceDefinitions in the same bundle. A custom kind defined elsewhere is taken as
 * namespaced, which is what almost all of them are.
 */
const BUILT_IN_CLUSTER_SCOPED = new Set([
  '/Namespace',
  '/Node',
  '/PersistentVolume',
  '/ComponentStatus',
  'admissionregistration.k8s.io/MutatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicy',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding',
  'admissionregistration.k8s.io/MutatingAdmissionPolicy',
  'admissionregistration.k8s.io/MutatingAdmissionPolicyBinding',
  'apiextensions.k8s.io/CustomResourceDefinition',
  'apiregistration.k8s.io/APIService',
  'authentication.k8s.io/TokenReview',
  'authentication.k8s.io/SelfSubjectReview',
  'authorization.k8s.io/SubjectAccessReview',
  'authorization.k8s.io/SelfSubjectAccessReview',
  'authorization.k8s.io/SelfSubjectRulesReview',
  'certificates.k8s.io/CertificateSigningRequest',
  'certificates.k8s.io/ClusterTrustBundle',
  'flowcontrol.apiserver.k8s.io/FlowSchema',
  'flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration',
  'internal.apiserver.k8s.io/StorageVersion',
  'networking.k8s.io/IngressClass',
  'networking.k8s.io/IPAddress',
  'networking.k8s.io/ServiceCIDR',
  'node.k8s.io/RuntimeClass',
  'policy/PodSecurityPolicy',
  'rbac.authorization.k8s.io/ClusterRole',
  'rbac.authorization.k8s.io/ClusterRoleBinding',
  'resource.k8s.io/DeviceClass',
  'resource.k8s.io/ResourceSlice',
  'scheduling.k8s.io/PriorityClass',
  'storage.k8s.io/CSIDriver',
  'storage.k8s.io/CSINode',
  'storage.k8s.io/StorageClass',
  'storage.k8s.io/VolumeAttachment',
  'storage.k8s.io/VolumeAttributesClass',
  'storagemigration.k8s.io/StorageVersionMigration',
]);

/**
 * API groups whose types client-go's scheme knows. Fleet patches objects of these with a
 * strategic merge patch and everything else (custom resources, and CRDs themselves, as Fleet
 * special-cases them) with a JSON merge patch.
 */
const STRATEGIC_MERGE_GROUPS = new Set([
  '',
  'admissionregistration.k8s.io',
  'apps',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'autoscaling',
  'batch',
  'certificates.k8s.io',
  'coordination.k8s.io',
  'discovery.k8s.io',
  'events.k8s.io',
  'extensions',
  'flowcontrol.apiserver.k8s.io',
  'internal.apiserver.k8s.io',
  'networking.k8s.io',
  'node.k8s.io',
  'policy',
  'rbac.authorization.k8s.io',
  'resource.k8s.io',
  'scheduling.k8s.io',
  'storage.k8s.io',
  'storagemigration.k8s.io',
]);

export function hasStrategicMergeSchema(apiVersion: string): boolean {
  return STRATEGIC_MERGE_GROUPS.has(apiGroupOf(apiVersion));
}

/** Tells cluster-scoped objects from namespaced ones, for the objects of one bundle. */
export type ScopeOf = (object: KubeObject) => 'Cluster' | 'Namespaced';

export function scopeResolver(objects: readonly KubeObject[]): ScopeOf {
  const clusterScoped = new Set(BUILT_IN_CLUSTER_SCOPED);
  for (const object of objects) {
    const crdKey = clusterScopedCrdKey(object);
    if (crdKey) clusterScoped.add(crdKey);
  }
  return (object) =>
    clusterScoped.has(`${apiGroupOf(object.apiVersion)}/${object.kind}`) ? 'Cluster' : 'Namespaced';
}

function clusterScopedCrdKey(object: KubeObject): string | undefined {
  if (object.kind !== 'CustomResourceDefinition') return undefined;
  if (apiGroupOf(object.apiVersion) !== 'apiextensions.k8s.io') return undefined;
  const { spec } = object;
  if (!isPlainObject(spec) || spec.scope !== 'Cluster') return undefined;
  const { group, names } = spec;
  if (typeof group !== 'string' || !isPlainObject(names) || typeof names.kind !== 'string') {
    return undefined;
  }
  return `${group}/${names.kind}`;
}
