import { forWorkspace } from '@flotilla/db';
import type { Principal } from '../auth/principal.ts';
import type { CoreContext } from '../context.ts';
import { toClusterGroupDto } from './cluster-group-dto.ts';

export async function listClusterGroups({
  ctx,
  principal,
}: {
  ctx: Pick<CoreContext, 'db'>;
  principal: Principal;
}) {
  const groups = await forWorkspace(ctx.db, principal.workspaceId).clusterGroup.findMany({
    orderBy: { name: 'asc' },
  });
  return {
    items: await Promise.all(groups.map((group) => toClusterGroupDto(ctx, group))),
    nextCursor: null,
  };
}
