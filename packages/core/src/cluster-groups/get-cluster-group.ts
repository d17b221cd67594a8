import { forWorkspace } from '@flotilla/db';
import type { Principal } from '../auth/principal.ts';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { toClusterGroupDto } from './cluster-group-dto.ts';

export async function getClusterGroup({
  ctx,
  principal,
  groupId,
}: {
  ctx: Pick<CoreContext, 'db'>;
  principal: Principal;
  groupId: string;
}) {
  const group = await forWorkspace(ctx.db, principal.workspaceId).clusterGroup.findUnique({
    where: { id: groupId },
  });
  if (!group) throw AppError.notFound('cluster group');
  return toClusterGroupDto(ctx, group);
}
