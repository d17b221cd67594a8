/**
 * Which lists of the built-in Kubernetes types a strategic merge patch merges by key, and with
 * which keys; every other list is replaced by the patch's.
 *
 * Derived from the `x-kubernetes-patch-strategy`, `x-kubernetes-patch-merge-key` and
 * `x-kubernetes-list-map-keys` extensions (the Go types' `patchStrategy`/`patchMergeKey` tags) of
 * the Kubernetes v1.21.2 OpenAPI document that kustomize v5 embeds and consults
 * (kyaml/openapi/kubernetesapi/v1_21_2). Only the types on a path to such a list are kept. The
 * kinds absent here (custom resources, and built-ins the document does not know) have no schema:
 * all their lists are replaced, as kustomize does.
 */

/** The schema of one object type: the fields that lead to a merged list. */
export interface TypeSchema {
  readonly name: string;
  readonly fields: ReadonlyMap<string, FieldSchema>;
}

/** The schema of an object's kind (apiVersion and kind as the object spells them). */
export type SchemaLookup = (apiVersion: unknown, kind: unknown) => TypeSchema | undefined;

export interface FieldSchema {
  /** The type of the field's value, or of each element when the field is a list. */
  readonly type?: TypeSchema;
  /** Set when the field is a list merged by these keys; empty for a merged list of scalars. */
  readonly mergeKeys?: readonly string[];
}

// `type field=ElementOrValueType[key,key]`: `[...]` marks a merged list (`[]`: of scalars).
// Indented lines continue the line above.
const TYPES = `
admissionregistration.v1.MutatingWebhookConfiguration webhooks=[name]
admissionregistration.v1.ValidatingWebhookConfiguration webhooks=[name]
admissionregistration.v1beta1.MutatingWebhookConfiguration webhooks=[name]
admissionregistration.v1beta1.ValidatingWebhookConfiguration webhooks=[name]
apiregistration.v1.APIService status=apiregistration.v1.APIServiceStatus
apiregistration.v1.APIServiceStatus conditions=[type]
apiregistration.v1beta1.APIService status=apiregistration.v1beta1.APIServiceStatus
apiregistration.v1beta1.APIServiceStatus conditions=[type]
apps.v1.DaemonSet spec=apps.v1.DaemonSetSpec status=apps.v1.DaemonSetStatus
apps.v1.DaemonSetSpec template=core.v1.PodTemplateSpec
apps.v1.DaemonSetStatus conditions=[type]
apps.v1.Deployment spec=apps.v1.DeploymentSpec status=apps.v1.DeploymentStatus
apps.v1.DeploymentSpec template=core.v1.PodTemplateSpec
apps.v1.DeploymentStatus conditions=[type]
apps.v1.ReplicaSet spec=apps.v1.ReplicaSetSpec status=apps.v1.ReplicaSetStatus
apps.v1.ReplicaSetSpec template=core.v1.PodTemplateSpec
apps.v1.ReplicaSetStatus conditions=[type]
apps.v1.StatefulSet spec=apps.v1.StatefulSetSpec status=apps.v1.StatefulSetStatus
apps.v1.StatefulSetSpec template=core.v1.PodTemplateSpec
    volumeClaimTemplates=core.v1.PersistentVolumeClaim
apps.v1.StatefulSetStatus conditions=[type]
batch.v1.CronJob spec=batch.v1.CronJobSpec
batch.v1.CronJobSpec jobTemplate=batch.v1.JobTemplateSpec
batch.v1.Job spec=batch.v1.JobSpec status=batch.v1.JobStatus
batch.v1.JobSpec template=core.v1.PodTemplateSpec
batch.v1.JobStatus conditions=[type]
batch.v1.JobTemplateSpec metadata=meta.v1.ObjectMeta spec=batch.v1.JobSpec
batch.v1beta1.CronJob spec=batch.v1beta1.CronJobSpec
batch.v1beta1.CronJobSpec jobTemplate=batch.v1beta1.JobTemplateSpec
batch.v1beta1.JobTemplateSpec metadata=meta.v1.ObjectMeta spec=batch.v1.JobSpec
core.v1.ComponentStatus conditions=[type]
core.v1.Container env=[name] ports=[containerPort,protocol] volumeDevices=[devicePath]
    volumeMounts=[mountPath]
core.v1.EphemeralContainer env=[name] volumeDevices=[devicePath] volumeMounts=[mountPath]
core.v1.EphemeralVolumeSource volumeClaimTemplate=core.v1.PersistentVolumeClaimTemplate
core.v1.Namespace status=core.v1.NamespaceStatus
core.v1.NamespaceStatus conditions=[type]
core.v1.Node spec=core.v1.NodeSpec status=core.v1.NodeStatus
core.v1.NodeSpec podCIDRs=[]
core.v1.NodeStatus addresses=[type] conditions=[type]
core.v1.PersistentVolumeClaim status=core.v1.PersistentVolumeClaimStatus
core.v1.PersistentVolumeClaimStatus conditions=[type]
core.v1.PersistentVolumeClaimTemplate metadata=meta.v1.ObjectMeta
core.v1.Pod spec=core.v1.PodSpec status=core.v1.PodStatus
core.v1.PodSpec containers=core.v1.Container[name]
    ephemeralContainers=core.v1.EphemeralContainer[name] hostAliases=[ip]
    imagePullSecrets=[name] initContainers=core.v1.Container[name]
    topologySpreadConstraints=[topologyKey,whenUnsatisfiable] volumes=core.v1.Volume[name]
core.v1.PodStatus conditions=[type] podIPs=[ip]
core.v1.PodTemplate template=core.v1.PodTemplateSpec
core.v1.PodTemplateSpec metadata=meta.v1.ObjectMeta spec=core.v1.PodSpec
core.v1.ReplicationController spec=core.v1.ReplicationControllerSpec
    status=core.v1.ReplicationControllerStatus
core.v1.ReplicationControllerSpec template=core.v1.PodTemplateSpec
core.v1.ReplicationControllerStatus conditions=[type]
core.v1.Service spec=core.v1.ServiceSpec status=core.v1.ServiceStatus
core.v1.ServiceAccount secrets=[name]
core.v1.ServiceSpec ports=[port,protocol]
core.v1.ServiceStatus conditions=[type]
core.v1.Volume ephemeral=core.v1.EphemeralVolumeSource
meta.v1.ObjectMeta finalizers=[] ownerReferences=[uid]
policy.v1.PodDisruptionBudget status=policy.v1.PodDisruptionBudgetStatus
policy.v1.PodDisruptionBudgetStatus conditions=[type]
policy.v1beta1.PodDisruptionBudget status=policy.v1beta1.PodDisruptionBudgetStatus
policy.v1beta1.PodDisruptionBudgetStatus conditions=[type]
storage.v1.CSINode spec=storage.v1.CSINodeSpec
storage.v1.CSINodeSpec drivers=[name]
storage.v1beta1.CSINode spec=storage.v1beta1.CSINodeSpec
storage.v1beta1.CSINodeSpec drivers=[name]
`;

// `apiVersion Kind...`; `Kind+` has a type of its own in TYPES, named <group>.<version>.<Kind>
// (group "core" for the legacy group). Every kind's metadata is a meta.v1.ObjectMeta.
const KINDS = `
v1 Binding ComponentStatus+ ConfigMap Endpoints Event LimitRange Namespace+ Node+
    PersistentVolume PersistentVolumeClaim+ Pod+ PodTemplate+ ReplicationController+
    ResourceQuota Secret Service+ ServiceAccount+
admissionregistration.k8s.io/v1 MutatingWebhookConfiguration+ ValidatingWebhookConfiguration+
admissionregistration.k8s.io/v1beta1 MutatingWebhookConfiguration+
    ValidatingWebhookConfiguration+
apiextensions.k8s.io/v1 CustomResourceDefinition
apiextensions.k8s.io/v1beta1 CustomResourceDefinition
apiregistration.k8s.io/v1 APIService+
apiregistration.k8s.io/v1beta1 APIService+
apps/v1 ControllerRevision DaemonSet+ Deployment+ ReplicaSet+ StatefulSet+
authentication.k8s.io/v1 TokenRequest TokenReview
authentication.k8s.io/v1beta1 TokenReview
authorization.k8s.io/v1 LocalSubjectAccessReview SelfSubjectAccessReview SelfSubjectRulesReview
    SubjectAccessReview
authorization.k8s.io/v1beta1 LocalSubjectAccessReview SelfSubjectAccessReview
    SelfSubjectRulesReview SubjectAccessReview
autoscaling/v1 HorizontalPodAutoscaler Scale
autoscaling/v2beta1 HorizontalPodAutoscaler
autoscaling/v2beta2 HorizontalPodAutoscaler
batch/v1 CronJob+ Job+
batch/v1beta1 CronJob+
certificates.k8s.io/v1 CertificateSigningRequest
certificates.k8s.io/v1beta1 CertificateSigningRequest
coordination.k8s.io/v1 Lease
coordination.k8s.io/v1beta1 Lease
discovery.k8s.io/v1 EndpointSlice
discovery.k8s.io/v1beta1 EndpointSlice
events.k8s.io/v1 Event
events.k8s.io/v1beta1 Event
extensions/v1beta1 Ingress
flowcontrol.apiserver.k8s.io/v1beta1 FlowSchema PriorityLevelConfiguration
networking.k8s.io/v1 Ingress IngressClass NetworkPolicy
networking.k8s.io/v1beta1 Ingress IngressClass
node.k8s.io/v1 RuntimeClass
node.k8s.io/v1beta1 RuntimeClass
policy/v1 PodDisruptionBudget+
policy/v1beta1 Eviction PodDisruptionBudget+ PodSecurityPolicy
rbac.authorization.k8s.io/v1 ClusterRole ClusterRoleBinding Role RoleBinding
rbac.authorization.k8s.io/v1beta1 ClusterRole ClusterRoleBinding Role RoleBinding
scheduling.k8s.io/v1 PriorityClass
scheduling.k8s.io/v1beta1 PriorityClass
storage.k8s.io/v1 CSIDriver CSINode+ StorageClass VolumeAttachment
storage.k8s.io/v1beta1 CSIDriver CSINode+ CSIStorageCapacity StorageClass VolumeAttachment
`;

const OBJECT_META = 'meta.v1.ObjectMeta';

function joinContinuations(text: string): string[] {
  const lines: string[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    if (line.startsWith(' ') && lines.length > 0) lines[lines.length - 1] += ` ${line.trim()}`;
    else lines.push(line.trim());
  }
  return lines;
}

interface MutableType {
  name: string;
  fields: Map<string, { typeName?: string; mergeKeys?: string[] }>;
}

function parseTables(): ReadonlyMap<string, TypeSchema> {
  const raw = new Map<string, MutableType>();
  const typeNamed = (name: string): MutableType => {
    let type = raw.get(name);
    if (!type) {
      type = { name, fields: new Map() };
      raw.set(name, type);
    }
    return type;
  };
  for (const line of joinContinuations(TYPES)) {
    const [name = '', ...fields] = line.split(' ');
    const type = typeNamed(name);
    for (const field of fields) {
      const match = /^([^=]+)=([^[]*)(?:\[([^\]]*)\])?$/.exec(field);
      if (!match) throw new Error(`merge-keys: cannot read "${field}"`);
      const [, fieldName = '', typeName, keys] = match;
      type.fields.set(fieldName, {
        ...(typeName ? { typeName } : {}),
        ...(keys !== undefined ? { mergeKeys: keys === '' ? [] : keys.split(',') } : {}),
      });
    }
  }
  const kinds = new Map<string, string>();
  for (const line of joinContinuations(KINDS)) {
    const [apiVersion = '', ...names] = line.split(' ');
    const slash = apiVersion.indexOf('/');
    const group = slash < 0 ? 'core' : (apiVersion.slice(0, slash).split('.')[0] ?? '');
    const version = apiVersion.slice(slash + 1);
    for (const entry of names) {
      const kind = entry.replace(/\+$/, '');
      const typeName = entry.endsWith('+')
        ? `${group}.${version}.${kind}`
        : `${apiVersion}/${kind}`;
      typeNamed(typeName).fields.set('metadata', { typeName: OBJECT_META });
      kinds.set(`${apiVersion}/${kind}`, typeName);
    }
  }
  const built = new Map<string, { name: string; fields: Map<string, FieldSchema> }>();
  const resolve = (name: string) => {
    let type = built.get(name);
    if (!type) {
      type = { name, fields: new Map() };
      built.set(name, type);
    }
    return type;
  };
  for (const type of raw.values()) {
    const target = resolve(type.name);
    for (const [fieldName, field] of type.fields) {
      target.fields.set(fieldName, {
        ...(field.typeName ? { type: resolve(field.typeName) } : {}),
        ...(field.mergeKeys ? { mergeKeys: field.mergeKeys } : {}),
      });
    }
  }
  const byKind = new Map<string, TypeSchema>();
  for (const [gvk, typeName] of kinds) byKind.set(gvk, resolve(typeName));
  return byKind;
}

const SCHEMAS_BY_KIND = parseTables();

/** The schema of a built-in kind, or undefined when kustomize would know none. */
export function schemaForKind(apiVersion: unknown, kind: unknown): TypeSchema | undefined {
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return undefined;
  return SCHEMAS_BY_KIND.get(`${apiVersion}/${kind}`);
}

/** The schema of one field of an object of the given type. */
export function fieldSchema(type: TypeSchema | undefined, field: string): FieldSchema | undefined {
  return type?.fields.get(field);
}
