import { forWorkspace } from '@flotilla/db';
import type { Principal } from '../auth/principal.ts';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { toClusterDto, type ClusterDto } from './serialize.ts';

export async function getCluster({
  ctx,
  principal,
  clusterId,
}: {
  ctx: Pick<CoreContext, 'db'>;
  principal: Principal;
  clusterId: string;
}): Promise<ClusterDto> {
  const cluster = await forWorkspace(ctx.db, principal.workspaceId).cluster.findUnique({
    where: { id: clusterId },
  });
  if (!cluster) throw AppError.notFound('cluster');
  return toClusterDto(cluster);
}
