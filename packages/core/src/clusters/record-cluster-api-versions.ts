import type { Cluster } from '@flotilla/db';
import { discoverApiVersions } from '@flotilla/kube';
import { clusterClientFor } from '../connectivity/cluster-client.ts';
import type { WorkerContext } from '../worker-context.ts';

/**
 * How long discovered API versions are trusted. A CRD installed since (by another bundle, say)
 * shows up in `.Capabilities.APIVersions` of renders made after this.
 */
export const API_VERSIONS_FRESH_MS = 10 * 60_000;

/**
 * The cluster's group/versions and group/version/Kinds for `.Capabilities.APIVersions`: the
 * recorded ones while fresh, else discovered now (one GET per group/version) and recorded.
 * Asked only by renders of charts that read Capabilities, so a fleet of plain YAML bundles
 * never pays for discovery.
 */
export async function recordClusterApiVersions({
  ctx,
  cluster,
}: {
  ctx: Pick<WorkerContext, 'db' | 'clusters' | 'secrets' | 'now'>;
  cluster: Cluster;
}): Promise<string[]> {
  const now = ctx.now();
  if (
    cluster.apiVersionsAt !== null &&
    cluster.apiVersions.length > 0 &&
    now.getTime() - cluster.apiVersionsAt.getTime() < API_VERSIONS_FRESH_MS
  ) {
    return cluster.apiVersions;
  }
  const apiVersions = await discoverApiVersions(clusterClientFor(ctx, cluster));
  await ctx.db.cluster.update({
    where: { id: cluster.id },
    data: { apiVersions, apiVersionsAt: now },
  });
  return apiVersions;
}
