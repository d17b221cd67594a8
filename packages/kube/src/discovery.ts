import { apiGroupOf } from '@flotilla/engine';
import { z } from 'zod';
import { isHttpStatus, UnknownKindError } from './errors.ts';
import type { KubeRequest } from './request.ts';

/** How one kind is served: its URL segment (plural) and whether it lives in namespaces. */
export interface ResourceInfo {
  apiVersion: string;
  kind: string;
  plural: string;
  isNamespaced: boolean;
}

export interface Discovery {
  /** The resource serving apiVersion + kind. Throws UnknownKindError when the cluster has none. */
  resolve(apiVersion: string, kind: string): Promise<ResourceInfo>;
  /** Drops what is cached for one API group (after its CRD changed), or everything. */
  forget(group?: string): void;
}

type Request = (request: KubeRequest) => Promise<unknown>;

const resourceListSchema = z.object({
  resources: z
    .array(z.object({ name: z.string(), kind: z.string(), namespaced: z.boolean() }))
    .default([]),
});

export { apiGroupOf };

function versionPath(apiVersion: string): string {
  return apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
}

/** The URL path of a collection (no name) or of one object. */
export function resourcePath(resource: ResourceInfo, namespace: string, name?: string): string {
  const parts = [versionPath(resource.apiVersion)];
  if (resource.isNamespaced && namespace !== '') {
    parts.push('namespaces', encodeURIComponent(namespace));
  }
  parts.push(resource.plural);
  if (name !== undefined) parts.push(encodeURIComponent(name));
  return parts.join('/');
}

interface CacheEntry {
  fetchedAt: number;
  kinds: Promise<Map<string, ResourceInfo>>;
}

/**
 * Kind -> resource lookups for one client, one discovery GET per apiVersion, cached. A kind that
 * is missing from a cached answer triggers a fresh GET (its CRD may have just been installed),
 * at most once per `missRefreshMs`, so a bundle of a hundred objects of a missing kind costs
 * one request, not a hundred.
 */
export function createDiscovery(
  request: Request,
  { missRefreshMs = 1000 }: { missRefreshMs?: number } = {},
): Discovery {
  const cache = new Map<string, CacheEntry>();

  const fetchKinds = async (apiVersion: string): Promise<Map<string, ResourceInfo>> => {
    let body: unknown;
    try {
      body = await request({ method: 'GET', path: versionPath(apiVersion) });
    } catch (error) {
      // A group/version the cluster does not serve at all is an empty answer, not a failure.
      if (isHttpStatus(error, 404)) return new Map();
      throw error;
    }
    const kinds = new Map<string, ResourceInfo>();
    for (const resource of resourceListSchema.parse(body).resources) {
      // "deployments/status" and friends are subresources, served under their parent.
      if (resource.name.includes('/') || kinds.has(resource.kind)) continue;
      kinds.set(resource.kind, {
        apiVersion,
        kind: resource.kind,
        plural: resource.name,
        isNamespaced: resource.namespaced,
      });
    }
    return kinds;
  };

  const load = (apiVersion: string): CacheEntry => {
    const entry: CacheEntry = { fetchedAt: Date.now(), kinds: fetchKinds(apiVersion) };
    cache.set(apiVersion, entry);
    // A failed GET (cluster down) must not stick: the next call tries again.
    entry.kinds.catch(() => {
      if (cache.get(apiVersion) === entry) cache.delete(apiVersion);
    });
    return entry;
  };

  return {
    async resolve(apiVersion, kind) {
      const cached = cache.get(apiVersion);
      let entry = cached ?? load(apiVersion);
      let found = (await entry.kinds).get(kind);
      if (!found && cached && Date.now() - cached.fetchedAt >= missRefreshMs) {
        entry =
          cache.get(apiVersion) === cached
            ? load(apiVersion)
            : (cache.get(apiVersion) ?? load(apiVersion));
        found = (await entry.kinds).get(kind);
      }
      if (!found) throw new UnknownKindError(apiVersion, kind);
      return found;
    },
    forget(group) {
      for (const apiVersion of [...cache.keys()]) {
        if (group === undefined || apiGroupOf(apiVersion) === group) cache.delete(apiVersion);
      }
    },
  };
}
