import { z } from 'zod';
import type { ClusterClient } from './client.ts';
import { resourcePath } from './discovery.ts';
import { isHttpStatus, UnknownKindError } from './errors.ts';

/** What Helm's `lookup` asks for: one object by name, or a list when the name is "". */
export interface LookupRequest {
  apiVersion: string;
  kind: string;
  /** "" for a cluster-scoped kind, or to list across every namespace. */
  namespace: string;
  /** "" lists. */
  name: string;
}

const objectSchema = z.record(z.string(), z.unknown());
const listSchema = z.looseObject({ items: z.array(z.record(z.string(), z.unknown())).default([]) });

/**
 * Helm's `lookup` against a real cluster, read-only (one GET): the object as the API server
 * returns it, or for an empty name the list (`items` carrying their apiVersion and kind, as
 * client-go's unstructured list does). `{}` when the object does not exist, and also when the
 * cluster does not serve the kind (Helm fails there; a chart that looks up a CRD's object
 * before the CRD is installed then renders its "absent" branch). Other failures (forbidden,
 * unreachable) throw, for the caller to report.
 */
export async function lookupObject(
  client: ClusterClient,
  request: LookupRequest,
): Promise<Record<string, unknown>> {
  let resource;
  try {
    resource = await client.discovery.resolve(request.apiVersion, request.kind);
  } catch (error) {
    if (error instanceof UnknownKindError) return {};
    throw error;
  }
  const namespace = resource.isNamespaced ? request.namespace : '';
  const path = resourcePath(resource, namespace, request.name === '' ? undefined : request.name);
  let body: unknown;
  try {
    body = await client.request({ method: 'GET', path });
  } catch (error) {
    if (isHttpStatus(error, 404)) return {};
    throw error;
  }
  if (request.name !== '') return objectSchema.parse(body);
  const list = listSchema.parse(body);
  return {
    ...list,
    items: list.items.map((item) => ({
      apiVersion: request.apiVersion,
      kind: request.kind,
      ...item,
    })),
  };
}
