import { randomUUID } from 'node:crypto';
import { ApiCatalog } from './catalog.ts';
import type { JsonObject } from './json.ts';
import { ObjectStore, type ObjectKey } from './object-store.ts';
import { BUILTIN_TYPES, type ResourceType } from './resource-types.ts';

export interface Counters {
  /** Every request the cluster received, answered or not. */
  requests: number;
  /** create, update, patch, delete and deletecollection requests that were not dry runs. */
  mutating: number;
  byVerb: Record<string, number>;
}

export function nowTimestamp(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export function builtinType(group: string, resource: string): ResourceType {
  const type = BUILTIN_TYPES.find(
    (candidate) => candidate.group === group && candidate.resource === resource,
  );
  if (!type) throw new Error(`no built-in resource ${resource}.${group}`);
  return type;
}

export const NAMESPACES = builtinType('', 'namespaces');

export function keyOf(type: ResourceType, namespace: string, name: string): ObjectKey {
  return {
    group: type.group,
    resource: type.resource,
    namespace: type.isNamespaced ? namespace : '',
    name,
  };
}

/** Everything one simulated cluster holds: its objects, served types, counters and allocators. */
export class ClusterState {
  readonly store = new ObjectStore();
  readonly catalog = new ApiCatalog();
  readonly counters: Counters = { requests: 0, mutating: 0, byVerb: {} };
  private nextClusterIp = 2;
  private nextNodePort = 30000;

  constructor(
    readonly name: string,
    readonly token: string,
    readonly kubernetesVersion: string,
  ) {
    for (const namespace of SYSTEM_NAMESPACES)
      this.bootstrap(NAMESPACES, systemNamespace(namespace));
    this.bootstrap(builtinType('', 'services'), kubernetesService(this.allocateClusterIp()));
  }

  /** Addresses from 10.0.0.0/24, the service range the test kube-apiservers use. */
  allocateClusterIp(): string {
    const host = this.nextClusterIp;
    this.nextClusterIp = host >= 254 ? 2 : host + 1;
    return `10.0.0.${host}`;
  }

  allocateNodePort(): number {
    const port = this.nextNodePort;
    this.nextNodePort = port >= 32767 ? 30000 : port + 1;
    return port;
  }

  namespace(name: string): JsonObject | undefined {
    return this.store.get(keyOf(NAMESPACES, '', name));
  }

  private bootstrap(type: ResourceType, object: JsonObject): void {
    const metadata = object.metadata as JsonObject;
    metadata.uid = randomUUID();
    metadata.resourceVersion = this.store.nextRevision();
    metadata.creationTimestamp = nowTimestamp();
    this.store.put(
      type,
      keyOf(type, String(metadata.namespace ?? ''), String(metadata.name)),
      object,
    );
  }
}

function systemNamespace(name: string): JsonObject {
  return {
    kind: 'Namespace',
    apiVersion: 'v1',
    metadata: { name },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  };
}

function kubernetesService(clusterIp: string): JsonObject {
  return {
    kind: 'Service',
    apiVersion: 'v1',
    metadata: {
      name: 'kubernetes',
      namespace: 'default',
      labels: { component: 'apiserver', provider: 'kubernetes' },
    },
    spec: {
      ports: [{ name: 'https', protocol: 'TCP', port: 443, targetPort: 6443 }],
      clusterIP: clusterIp,
      clusterIPs: [clusterIp],
      type: 'ClusterIP',
      sessionAffinity: 'None',
    },
    status: { loadBalancer: {} },
  };
}
