import { z } from 'zod';
import type { ClusterClient } from './client.ts';

const coreVersionsSchema = z.object({ versions: z.array(z.string()).max(100).default([]) });
const groupListSchema = z.object({
  groups: z
    .array(
      z.object({
        versions: z.array(z.object({ groupVersion: z.string().max(300) })).default([]),
      }),
    )
    .max(1000)
    .default([]),
});
const resourceListSchema = z.object({
  resources: z
    .array(z.object({ name: z.string(), kind: z.string().max(200) }))
    .max(5000)
    .default([]),
});

/** A bound on group/versions asked for their kinds: a cluster serves a few dozen. */
const MAX_GROUP_VERSIONS = 500;

/**
 * What `helm install` puts in `.Capabilities.APIVersions` (action.GetVersionSet): every
 * group/version the cluster serves and every group/version/Kind, e.g. `apps/v1` and
 * `apps/v1/Deployment`. One GET for /api, one for /apis, then one per group/version; a
 * group/version whose resources cannot be listed (an aggregated API that is down) still counts
 * without its kinds, as Helm tolerates partial discovery. Sorted, without duplicates.
 */
export async function discoverApiVersions(client: ClusterClient): Promise<string[]> {
  const [core, groups] = await Promise.all([
    client.request({ method: 'GET', path: '/api' }),
    client.request({ method: 'GET', path: '/apis' }),
  ]);
  const groupVersions = [
    ...coreVersionsSchema.parse(core).versions,
    ...groupListSchema
      .parse(groups)
      .groups.flatMap((group) => group.versions.map((version) => version.groupVersion)),
  ].slice(0, MAX_GROUP_VERSIONS);
  const found = new Set(groupVersions);
  await Promise.all(
    groupVersions.map(async (groupVersion) => {
      const path = groupVersion.includes('/') ? `/apis/${groupVersion}` : `/api/${groupVersion}`;
      let body: unknown;
      try {
        body = await client.request({ method: 'GET', path });
      } catch {
        return;
      }
      const parsed = resourceListSchema.safeParse(body);
      if (!parsed.success) return;
      for (const resource of parsed.data.resources) {
        // Subresources ("deployments/status") are no kinds of their own, as in Helm.
        if (!resource.name.includes('/')) found.add(`${groupVersion}/${resource.kind}`);
      }
    }),
  );
  return [...found].sort();
}
