import { fieldSpecs, type FieldSpec } from './field-spec.ts';
import type { Gvk } from './resource.ts';

/*
 * kustomize's builtin transformer configuration (api/internal/konfig/builtinpluginconsts in
 * kustomize v5.5), as `path [create] [group/version/kind]` lines; `*` matches anything.
 */

const METADATA_LABELS = `
metadata/labels create
spec/template/metadata/labels create */v1/ReplicationController
spec/template/metadata/labels create */*/Deployment
spec/template/metadata/labels create */*/ReplicaSet
spec/template/metadata/labels create */*/DaemonSet
spec/template/metadata/labels create apps/*/StatefulSet
spec/volumeClaimTemplates[]/metadata/labels create apps/*/StatefulSet
spec/template/metadata/labels create batch/*/Job
spec/jobTemplate/metadata/labels create batch/*/CronJob
spec/jobTemplate/spec/template/metadata/labels create batch/*/CronJob
`;

const AFFINITY = (kind: string) =>
  [
    'podAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm',
    'podAffinity/requiredDuringSchedulingIgnoredDuringExecution',
    'podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm',
    'podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution',
  ]
    .map((term) => `spec/template/spec/affinity/${term}/labelSelector/matchLabels apps/*/${kind}`)
    .concat(`spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels apps/*/${kind}`)
    .join('\n');

/** commonLabels, and `labels` with includeSelectors: selectors too. */
export const COMMON_LABELS: FieldSpec[] = fieldSpecs(`
spec/selector create */v1/Service
spec/selector create */v1/ReplicationController
spec/selector/matchLabels create */*/Deployment
${AFFINITY('Deployment')}
spec/selector/matchLabels create */*/ReplicaSet
spec/selector/matchLabels create */*/DaemonSet
spec/selector/matchLabels create apps/*/StatefulSet
${AFFINITY('StatefulSet')}
spec/selector/matchLabels batch/*/Job
spec/jobTemplate/spec/selector/matchLabels batch/*/CronJob
spec/selector/matchLabels policy/*/PodDisruptionBudget
spec/podSelector/matchLabels networking.k8s.io/*/NetworkPolicy
spec/ingress/from/podSelector/matchLabels networking.k8s.io/*/NetworkPolicy
spec/egress/to/podSelector/matchLabels networking.k8s.io/*/NetworkPolicy
${METADATA_LABELS}
`);

/** `labels` with includeTemplates: the object's and its pod templates' labels. */
export const TEMPLATE_LABELS: FieldSpec[] = fieldSpecs(METADATA_LABELS);

export const METADATA_LABELS_ONLY: FieldSpec[] = fieldSpecs('metadata/labels create');

export const COMMON_ANNOTATIONS: FieldSpec[] = fieldSpecs(`
metadata/annotations create
spec/template/metadata/annotations create */v1/ReplicationController
spec/template/metadata/annotations create */*/Deployment
spec/template/metadata/annotations create */*/ReplicaSet
spec/template/metadata/annotations create */*/DaemonSet
spec/template/metadata/annotations create */*/StatefulSet
spec/template/metadata/annotations create batch/*/Job
spec/jobTemplate/metadata/annotations create batch/*/CronJob
spec/jobTemplate/spec/template/metadata/annotations create batch/*/CronJob
`);

export const NAMESPACE: FieldSpec[] = fieldSpecs(`
metadata/name create */*/Namespace
spec/service/namespace create apiregistration.k8s.io/*/APIService
spec/conversion/webhook/clientConfig/service/namespace apiextensions.k8s.io/*/CustomResourceDefinition
`);

export const IMAGES: FieldSpec[] = fieldSpecs(`
spec/containers[]/image create
spec/initContainers[]/image create
spec/template/spec/containers[]/image create
spec/template/spec/initContainers[]/image create
`);

export const REPLICAS: FieldSpec[] = fieldSpecs(`
spec/replicas create */*/Deployment
spec/replicas create */*/ReplicationController
spec/replicas create */*/ReplicaSet
spec/replicas create */*/StatefulSet
`);

/** A kind of object that other objects refer to by name, and where they do. */
export interface NameReference {
  target: Partial<Gvk>;
  referrers: FieldSpec[];
}

/** Where each workload keeps its pod spec. */
const POD_SPECS: [selector: string, path: string][] = [
  ['*/v1/Pod', 'spec'],
  ['*/*/PodTemplate', 'template/spec'],
  ['*/*/Deployment', 'spec/template/spec'],
  ['*/*/ReplicaSet', 'spec/template/spec'],
  ['*/*/DaemonSet', 'spec/template/spec'],
  ['*/*/StatefulSet', 'spec/template/spec'],
  ['*/*/Job', 'spec/template/spec'],
  ['*/*/CronJob', 'spec/jobTemplate/spec/template/spec'],
];

const inPodSpecs = (paths: string[]) =>
  POD_SPECS.flatMap(([selector, prefix]) => paths.map((path) => `${prefix}/${path} ${selector}`));

const CONFIG_MAP_REFS = [
  'volumes/configMap/name',
  'containers/env/valueFrom/configMapKeyRef/name',
  'initContainers/env/valueFrom/configMapKeyRef/name',
  'containers/envFrom/configMapRef/name',
  'initContainers/envFrom/configMapRef/name',
  'volumes/projected/sources/configMap/name',
];

const SECRET_REFS = [
  'volumes/secret/secretName',
  'containers/env/valueFrom/secretKeyRef/name',
  'initContainers/env/valueFrom/secretKeyRef/name',
  'containers/envFrom/secretRef/name',
  'initContainers/envFrom/secretRef/name',
  'imagePullSecrets/name',
  'volumes/projected/sources/secret/name',
];

// ServiceAccount, PersistentVolumeClaim and PriorityClass references: not for ReplicaSet or
// PodTemplate, but for ReplicationController (kustomize's lists differ from the pod specs').
const WORKLOADS_WITHOUT_RS = (path: string) => `
spec/${path} */*/Pod
spec/template/spec/${path} */*/StatefulSet
spec/template/spec/${path} */*/Deployment
spec/template/spec/${path} */*/ReplicationController
spec/jobTemplate/spec/template/spec/${path} */*/CronJob
spec/template/spec/${path} */*/Job
spec/template/spec/${path} */*/DaemonSet`;

const ref = (target: Partial<Gvk>, table: string): NameReference => ({
  target,
  referrers: fieldSpecs(table),
});

const SCALE_TARGET = 'spec/scaleTargetRef/name */*/HorizontalPodAutoscaler';

export const NAME_REFERENCES: NameReference[] = [
  ref({ kind: 'Deployment' }, SCALE_TARGET),
  ref({ kind: 'ReplicationController' }, SCALE_TARGET),
  ref({ kind: 'ReplicaSet' }, SCALE_TARGET),
  ref({ kind: 'StatefulSet' }, SCALE_TARGET),
  ref(
    { kind: 'ConfigMap', version: 'v1' },
    `${inPodSpecs(CONFIG_MAP_REFS).join('\n')}
spec/configSource/configMap */*/Node
rules/resourceNames */*/Role
rules/resourceNames */*/ClusterRole
metadata/annotations/nginx.ingress.kubernetes.io\\/fastcgi-params-configmap */*/Ingress`,
  ),
  ref(
    { kind: 'Secret', version: 'v1' },
    `${inPodSpecs(SECRET_REFS).join('\n')}
spec/tls/secretName */*/Ingress
metadata/annotations/ingress.kubernetes.io\\/auth-secret */*/Ingress
metadata/annotations/nginx.ingress.kubernetes.io\\/auth-secret */*/Ingress
metadata/annotations/nginx.ingress.kubernetes.io\\/auth-tls-secret */*/Ingress
imagePullSecrets/name */*/ServiceAccount
parameters/secretName */*/StorageClass
parameters/adminSecretName */*/StorageClass
parameters/userSecretName */*/StorageClass
parameters/secretRef */*/StorageClass
rules/resourceNames */*/Role
rules/resourceNames */*/ClusterRole
spec/template/spec/containers/env/valueFrom/secretKeyRef/name serving.knative.dev/v1/Service
spec/azureFile/secretName */*/PersistentVolume`,
  ),
  ref(
    { kind: 'Service', version: 'v1' },
    `spec/serviceName apps/*/StatefulSet
spec/rules/http/paths/backend/serviceName */*/Ingress
spec/backend/serviceName */*/Ingress
spec/rules/http/paths/backend/service/name */*/Ingress
spec/defaultBackend/service/name */*/Ingress
spec/service/name apiregistration.k8s.io/*/APIService
webhooks/clientConfig/service admissionregistration.k8s.io/*/ValidatingWebhookConfiguration
webhooks/clientConfig/service admissionregistration.k8s.io/*/MutatingWebhookConfiguration`,
  ),
  ref(
    { kind: 'Role', group: 'rbac.authorization.k8s.io' },
    'roleRef/name rbac.authorization.k8s.io/*/RoleBinding',
  ),
  ref(
    { kind: 'ClusterRole', group: 'rbac.authorization.k8s.io' },
    `roleRef/name rbac.authorization.k8s.io/*/RoleBinding
roleRef/name rbac.authorization.k8s.io/*/ClusterRoleBinding`,
  ),
  ref(
    { kind: 'ServiceAccount', version: 'v1' },
    `subjects rbac.authorization.k8s.io/*/RoleBinding
subjects rbac.authorization.k8s.io/*/ClusterRoleBinding
${WORKLOADS_WITHOUT_RS('serviceAccountName')}`,
  ),
  ref(
    { kind: 'PersistentVolumeClaim', version: 'v1' },
    WORKLOADS_WITHOUT_RS('volumes/persistentVolumeClaim/claimName'),
  ),
  ref(
    { kind: 'PersistentVolume', version: 'v1' },
    `spec/volumeName */*/PersistentVolumeClaim
rules/resourceNames */*/ClusterRole`,
  ),
  ref(
    { kind: 'StorageClass', version: 'v1', group: 'storage.k8s.io' },
    `spec/storageClassName */*/PersistentVolume
spec/storageClassName */*/PersistentVolumeClaim
spec/volumeClaimTemplates/spec/storageClassName */*/StatefulSet`,
  ),
  ref(
    { kind: 'PriorityClass', version: 'v1', group: 'scheduling.k8s.io' },
    WORKLOADS_WITHOUT_RS('priorityClassName'),
  ),
  // kustomize's group here is "networking.k8s.io/v1", which no object has: the reference is
  // never rewritten, and reproducing that keeps our output equal to kustomize's.
  ref(
    { kind: 'IngressClass', version: 'v1', group: 'networking.k8s.io/v1' },
    'spec/ingressClassName */*/Ingress',
  ),
  ref(
    { kind: 'ValidatingAdmissionPolicy', group: 'admissionregistration.k8s.io' },
    'spec/policyName admissionregistration.k8s.io/*/ValidatingAdmissionPolicyBinding',
  ),
];
