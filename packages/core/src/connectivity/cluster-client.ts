import type { Cluster } from '@flotilla/db';
import { credentialsVersion, openConnection } from '../clusters/cluster-credentials.ts';
import type { WorkerContext } from '../worker-context.ts';

/** The pooled client of a cluster, opened anew when its credentials change. */
export function clusterClientFor(
  ctx: Pick<WorkerContext, 'clusters' | 'secrets'>,
  cluster: Cluster,
) {
  return ctx.clusters.get(cluster.id, credentialsVersion(cluster), () =>
    openConnection(ctx.secrets, cluster),
  );
}
