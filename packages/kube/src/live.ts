import { z } from 'zod';
import type { ClusterClient } from './client.ts';
import { apiGroupOf, resourcePath, type ResourceInfo } from './discovery.ts';
import { describeFailure, isHttpStatus, isUnknownResource } from './errors.ts';
import type { KubeObject } from './types.ts';

export interface LiveKind {
  apiVersion: string;
  kind: string;
  /**
   * Where to look for a namespaced kind; "" lists it across all namespaces. Ignored for a
   * cluster-scoped kind, which is listed once.
   */
  namespaces: string[];
}

export interface LiveError {
  apiVersion: string;
  kind: string;
  namespace: string;
  reason: string;
}

export interface LiveResult {
  objects: KubeObject[];
  errors: LiveError[];
}

const listSchema = z.object({
  items: z.array(z.looseObject({ metadata: z.looseObject({ name: z.string() }) })).default([]),
});

/** From this many namespaces of one kind on, a single list across all namespaces is cheaper. */
const CLUSTER_WIDE_FROM = 3;

interface ListTarget {
  resource: ResourceInfo;
  namespace: string;
}

async function listOne(
  client: ClusterClient,
  { resource, namespace }: ListTarget,
  labelSelector: string,
): Promise<KubeObject[]> {
  const body = await client.request({
    method: 'GET',
    path: resourcePath(resource, namespace),
    query: { labelSelector: labelSelector === '' ? undefined : labelSelector },
  });
  // Items of a LIST carry no apiVersion and kind: they are the list's, so put them back.
  return listSchema.parse(body).items.map((item) => ({
    ...item,
    apiVersion: resource.apiVersion,
    kind: resource.kind,
    metadata: item.metadata,
  }));
}

/**
 * Reads what is live on a cluster for a set of kinds: ONE LIST per kind (per namespace when it
 * is the only one, or when listing across namespaces is forbidden), filtered by label on the
 * server, never a GET per object, so checking a bundle of 500 objects in 3 kinds costs 3 requests. What fails is reported per kind and
 * namespace next to what was read.
 */
export async function listLive(
  client: ClusterClient,
  { kinds, labelSelector }: { kinds: readonly LiveKind[]; labelSelector: string },
): Promise<LiveResult> {
  const result: LiveResult = { objects: [], errors: [] };
  const seen = new Set<string>();

  await Promise.all(
    kinds.map(async ({ apiVersion, kind, namespaces }) => {
      const wanted = [...new Set(namespaces.length === 0 ? [''] : namespaces)];
      let resource: ResourceInfo;
      try {
        resource = await client.discovery.resolve(apiVersion, kind);
      } catch (error) {
        const reason = describeFailure(error);
        for (const namespace of wanted) result.errors.push({ apiVersion, kind, namespace, reason });
        return;
      }
      const targets = (resource.isNamespaced ? wanted : ['']).filter((namespace) => {
        const key = `${apiVersion}|${kind}|${namespace}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
      const recordFailure = (namespace: string, error: unknown) => {
        if (isUnknownResource(error)) client.discovery.forget(apiGroupOf(apiVersion));
        const reason =
          error instanceof z.ZodError ? 'the list answer is malformed' : describeFailure(error);
        result.errors.push({ apiVersion, kind, namespace, reason });
      };
      // Several namespaces of one kind: ONE list across all namespaces (the label selector keeps
      // the answer to our objects), not one per namespace. A monitor pass over 50 bundles, each
      // in a namespace of its own, then costs 2 LISTs instead of 100.
      if (resource.isNamespaced && targets.length >= CLUSTER_WIDE_FROM && !targets.includes('')) {
        try {
          const wantedNamespaces = new Set(targets);
          const items = await listOne(client, { resource, namespace: '' }, labelSelector);
          result.objects.push(
            ...items.filter((item) => wantedNamespaces.has(item.metadata.namespace ?? '')),
          );
          return;
        } catch (error) {
          // Credentials allowed in each namespace but not across all of them: list each one.
          if (!isHttpStatus(error, 403)) {
            for (const namespace of targets) recordFailure(namespace, error);
            return;
          }
        }
      }
      await Promise.all(
        targets.map(async (namespace) => {
          try {
            result.objects.push(...(await listOne(client, { resource, namespace }, labelSelector)));
          } catch (error) {
            recordFailure(namespace, error);
          }
        }),
      );
    }),
  );
  return result;
}

const objectSchema = z.looseObject({ metadata: z.looseObject({ name: z.string() }) });

/**
 * One object as it is now (a GET), or undefined when it is not on the cluster. For re-reading
 * a few objects known by name, such as the ones still rolling out after an apply; to read many,
 * listLive costs one request per kind instead of one per object.
 */
export async function getLive(
  client: ClusterClient,
  ref: { apiVersion: string; kind: string; namespace?: string | undefined; name: string },
): Promise<KubeObject | undefined> {
  const resource = await client.discovery.resolve(ref.apiVersion, ref.kind);
  try {
    const found = objectSchema.parse(
      await client.request({
        method: 'GET',
        path: resourcePath(resource, resource.isNamespaced ? (ref.namespace ?? '') : '', ref.name),
      }),
    );
    // Read at the version asked for: the answer's apiVersion is the one the server stores.
    return { ...found, apiVersion: ref.apiVersion, kind: ref.kind, metadata: found.metadata };
  } catch (error) {
    if (isHttpStatus(error, 404)) return undefined;
    throw error;
  }
}
