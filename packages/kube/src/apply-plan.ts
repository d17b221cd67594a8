import { z } from 'zod';
import { apiGroupOf } from './discovery.ts';
import type { KubeObject, ObjectRef } from './types.ts';

/** Field manager of every apply Flotilla makes; drift and conflicts are judged against it. */
export const FIELD_MANAGER = 'flotilla';

export function isNamespace(object: Pick<KubeObject, 'apiVersion' | 'kind'>): boolean {
  return object.apiVersion === 'v1' && object.kind === 'Namespace';
}

export function isCustomResourceDefinition(
  object: Pick<KubeObject, 'apiVersion' | 'kind'>,
): boolean {
  return (
    apiGroupOf(object.apiVersion) === 'apiextensions.k8s.io' &&
    object.kind === 'CustomResourceDefinition'
  );
}

/**
 * Namespaces and CRDs go first: every namespaced object needs its namespace, and every custom
 * resource needs its CRD established. Everything else has no order the API server enforces.
 */
export function splitFoundation(objects: readonly KubeObject[]): {
  foundation: KubeObject[];
  rest: KubeObject[];
} {
  const foundation: KubeObject[] = [];
  const rest: KubeObject[] = [];
  for (const object of objects) {
    (isNamespace(object) || isCustomResourceDefinition(object) ? foundation : rest).push(object);
  }
  return { foundation, rest };
}

/** The body of a server-side apply: server-set metadata dropped, namespace only where it belongs. */
export function toApplyBody(object: KubeObject, isNamespaced: boolean): KubeObject {
  // Set by the API server; present when a manifest was exported with `kubectl get -o yaml`.
  // managedFields makes an apply fail outright, and resourceVersion turns it into an optimistic
  // update that conflicts as soon as the object changed on the cluster.
  const {
    managedFields: _managedFields,
    resourceVersion: _resourceVersion,
    uid: _uid,
    creationTimestamp: _creationTimestamp,
    generation: _generation,
    selfLink: _selfLink,
    namespace,
    ...metadata
  } = object.metadata;
  return withServicePortProtocols({
    ...object,
    metadata: isNamespaced && namespace !== undefined ? { ...metadata, namespace } : metadata,
  });
}

/**
 * Service ports are an associative list keyed by (port, protocol) for server-side apply, and
 * API servers before 1.22 refuse an applied port without `protocol` ("associative list with
 * keys has an element that omits key field") instead of defaulting it. TCP is the default the
 * server would set anyway, so the object on the cluster is the same.
 */
export function withServicePortProtocols(object: KubeObject): KubeObject {
  if (object.kind !== 'Service' || object.apiVersion !== 'v1') return object;
  const spec = object.spec;
  if (!spec || typeof spec !== 'object' || !Array.isArray((spec as { ports?: unknown }).ports))
    return object;
  const ports = (spec as { ports: unknown[] }).ports.map((port) =>
    port && typeof port === 'object' && !('protocol' in port) ? { ...port, protocol: 'TCP' } : port,
  );
  return { ...object, spec: { ...spec, ports } };
}

export function refOf(object: KubeObject, namespace = object.metadata.namespace ?? ''): ObjectRef {
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    namespace,
    name: object.metadata.name,
  };
}

/** `Deployment "web" in namespace "shop"`: how a report names an object. */
export function describeRef(ref: ObjectRef): string {
  return ref.namespace === ''
    ? `${ref.kind} "${ref.name}"`
    : `${ref.kind} "${ref.name}" in namespace "${ref.namespace}"`;
}

/** A failure reason that names the object: the API server's messages do; ours get a prefix. */
export function reasonNaming(ref: ObjectRef, message: string): string {
  return message.includes(`"${ref.name}"`) ? message : `${describeRef(ref)}: ${message}`;
}

const crdSchema = z.object({
  metadata: z.object({ name: z.string() }),
  spec: z.object({
    group: z.string(),
    names: z.object({ kind: z.string() }),
    version: z.string().optional(),
    versions: z.array(z.object({ name: z.string(), served: z.boolean().optional() })).optional(),
  }),
});

/** The name, group and served apiVersion + kind pairs a CRD manifest declares (v1 or v1beta1). */
export function crdServes(
  object: KubeObject,
): { name: string; group: string; kinds: { apiVersion: string; kind: string }[] } | undefined {
  const parsed = crdSchema.safeParse(object);
  if (!parsed.success) return undefined;
  const { spec, metadata } = parsed.data;
  const versions = spec.versions
    ? spec.versions.filter(({ served }) => served !== false).map(({ name }) => name)
    : spec.version
      ? [spec.version]
      : [];
  return {
    name: metadata.name,
    group: spec.group,
    kinds: versions.map((version) => ({
      apiVersion: `${spec.group}/${version}`,
      kind: spec.names.kind,
    })),
  };
}
