import { z } from 'zod';
import type { ClusterClient } from './client.ts';
import { resourcePath } from './discovery.ts';
import type { KubeObject } from './types.ts';

const listSchema = z.object({
  items: z.array(z.looseObject({ metadata: z.looseObject({ name: z.string() }) })).default([]),
});

/**
 * One LIST of a kind in one namespace, whatever its labels: the objects a controller made
 * (ReplicaSets, Pods) carry none of Flotilla's, so listLive's label selector would miss them.
 * `limit` bounds the answer (the API server pages the rest, which is not fetched).
 */
export async function listNamespaced(
  client: ClusterClient,
  {
    apiVersion,
    kind,
    namespace,
    fieldSelector,
    limit,
  }: {
    apiVersion: string;
    kind: string;
    namespace: string;
    fieldSelector?: string;
    limit: number;
  },
): Promise<KubeObject[]> {
  const resource = await client.discovery.resolve(apiVersion, kind);
  const body = await client.request({
    method: 'GET',
    path: resourcePath(resource, resource.isNamespaced ? namespace : ''),
    query: { limit: String(limit), fieldSelector },
  });
  // Items of a LIST carry no apiVersion and kind: they are the list's.
  return listSchema.parse(body).items.map((item) => ({
    ...item,
    apiVersion,
    kind,
    metadata: item.metadata,
  }));
}
