import { forWorkspace } from '@flotilla/db';
import { auditedWrite } from '../audit/audited-write.ts';
import type { Principal, RequestOrigin } from '../auth/principal.ts';
import { requestReplanForWorkspace } from '../bundles/request-replan.ts';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { audited } from './cluster-group-audit.ts';

export async function deleteClusterGroup({
  ctx,
  principal,
  origin,
  groupId,
}: {
  ctx: CoreContext;
  principal: Principal;
  origin?: RequestOrigin;
  groupId: string;
}): Promise<void> {
  const group = await forWorkspace(ctx.db, principal.workspaceId).clusterGroup.findUnique({
    where: { id: groupId },
  });
  if (!group) throw AppError.notFound('cluster group');
  await auditedWrite({
    ctx,
    principal,
    origin,
    write: (tx) => tx.clusterGroup.delete({ where: { id: group.id } }),
    audit: () => audited('cluster-group.delete', group),
  });
  await requestReplanForWorkspace({ ctx, workspaceId: principal.workspaceId });
}
