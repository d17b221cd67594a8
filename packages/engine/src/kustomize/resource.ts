import { isJsonObject, type JsonObject } from '../patch/json-value.ts';

/**
 * The kinds kustomize knows to be cluster-scoped (kyaml's precomputed table for its embedded
 * Kubernetes v1.21 schema). Anything else, custom resources included, counts as namespaced.
 */
const CLUSTER_SCOPED = new Set(
  `
admissionregistration.k8s.io/v1 MutatingWebhookConfiguration ValidatingWebhookConfiguration
admissionregistration.k8s.io/v1beta1 MutatingWebhookConfiguration ValidatingWebhookConfiguration
apiextensions.k8s.io/v1 CustomResourceDefinition
apiextensions.k8s.io/v1beta1 CustomResourceDefinition
apiregistration.k8s.io/v1 APIService
apiregistration.k8s.io/v1beta1 APIService
certificates.k8s.io/v1 CertificateSigningRequest
certificates.k8s.io/v1beta1 CertificateSigningRequest
flowcontrol.apiserver.k8s.io/v1beta1 FlowSchema PriorityLevelConfiguration
networking.k8s.io/v1 IngressClass
networking.k8s.io/v1beta1 IngressClass
node.k8s.io/v1 RuntimeClass
node.k8s.io/v1beta1 RuntimeClass
policy/v1beta1 PodSecurityPolicy
rbac.authorization.k8s.io/v1 ClusterRole ClusterRoleBinding
rbac.authorization.k8s.io/v1beta1 ClusterRole ClusterRoleBinding
scheduling.k8s.io/v1 PriorityClass
scheduling.k8s.io/v1beta1 PriorityClass
storage.k8s.io/v1 CSIDriver CSINode StorageClass VolumeAttachment
storage.k8s.io/v1beta1 CSIDriver CSINode StorageClass VolumeAttachment
v1 ComponentStatus Namespace Node NodeProxyOptions PersistentVolume
`
    .trim()
    .split('\n')
    .flatMap((line) => {
      const [apiVersion, ...kinds] = line.split(' ');
      return kinds.map((kind) => `${apiVersion}/${kind}`);
    }),
);

/** Stands for the namespace of a cluster-scoped object in kustomize's id comparisons. */
export const NOT_NAMESPACED = '_non_namespaceable_';

export interface Gvk {
  group: string;
  version: string;
  kind: string;
}

export interface ResId extends Gvk {
  name: string;
  namespace: string;
  isClusterScoped: boolean;
}

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

export function apiVersionOf(gvk: Gvk): string {
  return gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
}

export function isClusterScoped(gvk: Gvk): boolean {
  return CLUSTER_SCOPED.has(`${apiVersionOf(gvk)}/${gvk.kind}`);
}

export function effectiveNamespace(id: ResId): string {
  if (id.isClusterScoped) return NOT_NAMESPACED;
  return id.namespace === '' || id.namespace === 'default' ? 'default' : id.namespace;
}

/** Does `gvk` match a selector's group, version and kind (empty parts match anything)? */
export function gvkSelected(gvk: Gvk, selector: Partial<Gvk>): boolean {
  return (
    (!selector.group || selector.group === gvk.group) &&
    (!selector.version || selector.version === gvk.version) &&
    (!selector.kind || selector.kind === gvk.kind)
  );
}

export function sameGvk(a: Gvk, b: Gvk): boolean {
  return a.group === b.group && a.version === b.version && a.kind === b.kind;
}

export function sameId(a: ResId, b: ResId): boolean {
  return sameGvk(a, b) && a.name === b.name && effectiveNamespace(a) === effectiveNamespace(b);
}

/** kustomize's id notation, as its messages show it: `Deployment.v1.apps/web.prod`. */
export function formatId(id: ResId): string {
  return `${id.kind || '[noKind]'}.${id.version || '[noVer]'}.${id.group || '[noGrp]'}/${
    id.name || '[noName]'
  }.${id.namespace || '[noNs]'}`;
}

interface PreviousId {
  kind: string;
  name: string;
  namespace: string;
}

export type GeneratorBehavior = 'create' | 'merge' | 'replace';

/**
 * One object during a build, with what kustomize keeps in its build annotations: the ids it
 * had before renames (to fix references to it), the prefixes and suffixes it received, and
 * the generator settings. They live beside the object, never in it.
 */
export class Resource {
  prevIds: PreviousId[] = [];
  prefixes: string[] = [];
  suffixes: string[] = [];
  needsHashSuffix = false;
  behavior: GeneratorBehavior = 'create';
  /** Where the object came from, as buildMetadata's originAnnotations tells it. */
  origin?: { path: string } | { configuredIn: string; configuredBy: string };
  /** The vars whose value this object holds (kustomize's refVarNames). */
  refVarNames: string[] = [];

  constructor(public object: JsonObject) {}

  get metadata(): JsonObject {
    const metadata = this.object.metadata;
    if (isJsonObject(metadata)) return metadata;
    const created: JsonObject = {};
    this.object.metadata = created;
    return created;
  }

  get kind(): string {
    return typeof this.object.kind === 'string' ? this.object.kind : '';
  }

  get apiVersion(): string {
    return typeof this.object.apiVersion === 'string' ? this.object.apiVersion : '';
  }

  get name(): string {
    const name = isJsonObject(this.object.metadata) ? this.object.metadata.name : undefined;
    return typeof name === 'string' ? name : '';
  }

  set name(name: string) {
    this.metadata.name = name;
  }

  get namespace(): string {
    const namespace = isJsonObject(this.object.metadata) ? this.object.metadata.namespace : '';
    return typeof namespace === 'string' ? namespace : '';
  }

  set namespace(namespace: string) {
    if (namespace === '') delete this.metadata.namespace;
    else this.metadata.namespace = namespace;
  }

  stringMap(field: 'labels' | 'annotations'): Record<string, string> {
    const map = isJsonObject(this.object.metadata) ? this.object.metadata[field] : undefined;
    if (!isJsonObject(map)) return {};
    // kyaml reads these maps as strings: a label `version: 2` is "2" to a labelSelector.
    return Object.fromEntries(
      Object.entries(map).map(([key, value]) => [
        key,
        value === null || typeof value === 'object' ? '' : String(value),
      ]),
    );
  }

  gvk(): Gvk {
    return { ...splitApiVersion(this.apiVersion), kind: this.kind };
  }

  curId(): ResId {
    const gvk = this.gvk();
    return {
      ...gvk,
      name: this.name,
      namespace: this.namespace,
      isClusterScoped: isClusterScoped(gvk),
    };
  }

  /** Previous ids carry the current group and version, and are never cluster-scoped. */
  previousIds(): ResId[] {
    const { group, version } = this.gvk();
    return this.prevIds.map((id) => ({ group, version, ...id, isClusterScoped: false }));
  }

  /** The id the object had when it was read (or generated). */
  orgId(): ResId {
    return this.previousIds()[0] ?? this.curId();
  }

  allIds(): ResId[] {
    return [...this.previousIds(), this.curId()];
  }

  storePreviousId(): void {
    const id = this.curId();
    this.prevIds.push({ kind: id.kind, name: id.name, namespace: effectiveNamespace(id) });
  }

  isEmpty(): boolean {
    return Object.keys(this.object).length === 0;
  }
}
