import { noteClustersSeen } from '@flotilla/db';
import { jittered, type WorkerContext } from '../worker-context.ts';
import { batched, perContext } from './batching.ts';

/**
 * A monitor pass or a deploy that reached a cluster is as good as a connectivity probe: the
 * cluster is recorded as seen and its next probe moves a probe interval away. With a thousand
 * clusters, probes that only repeat what deploys and monitors just found cost a TLS handshake
 * and two writes each, dozens of times a second. Batched across the jobs of this worker.
 */
export const noteClusterSeen = perContext((ctx: Pick<WorkerContext, 'db' | 'now' | 'settings'>) =>
  batched(async (clusterIds: readonly string[]) => {
    const now = ctx.now();
    await noteClustersSeen(
      ctx.db,
      [...new Set(clusterIds)].map((id) => ({
        id,
        nextProbeAt: new Date(now.getTime() + jittered(ctx.settings.probeIntervalMs)),
      })),
      now,
    );
    return clusterIds.map(() => undefined);
  }),
);
