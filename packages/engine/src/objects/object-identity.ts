/** The API group of an apiVersion: "" for the core group ("v1"). */
export function apiGroupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}

/** What names one object: a stored ObjectRef, or a live object's fields. */
export interface ObjectName {
  apiVersion: string;
  kind: string;
  /** "" or absent for cluster-scoped objects. */
  namespace?: string | undefined;
  name: string;
}

/**
 * Identity of an object across apiVersions: "group|kind|namespace|name". Moving a Deployment
 * from apps/v1beta2 to apps/v1 in Git names the same object on the cluster, so it must neither
 * be pruned as if it had left the inventory nor be kept twice in it, and a live object read at
 * one version must match the desired one at another.
 */
export function objectIdentity({ apiVersion, kind, namespace, name }: ObjectName): string {
  return `${apiGroupOf(apiVersion)}|${kind}|${namespace ?? ''}|${name}`;
}

/** The identity of a live or desired object, from its metadata. */
export function identityOfObject(object: {
  apiVersion: string;
  kind: string;
  metadata: { namespace?: string | undefined; name: string };
}): string {
  return objectIdentity({
    apiVersion: object.apiVersion,
    kind: object.kind,
    namespace: object.metadata.namespace,
    name: object.metadata.name,
  });
}
