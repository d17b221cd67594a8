import { forWorkspace } from '@flotilla/db';
import { auditedWrite } from '../audit/audited-write.ts';
import type { Principal, RequestOrigin } from '../auth/principal.ts';
import { requestReplanForWorkspace } from '../bundles/request-replan.ts';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { audited } from './sync-window-audit.ts';

/** Removes a sync window; what it held back is planned again at once. */
export async function deleteSyncWindow({
  ctx,
  principal,
  origin,
  windowId,
}: {
  ctx: CoreContext;
  principal: Principal;
  origin?: RequestOrigin;
  windowId: string;
}): Promise<void> {
  const window = await forWorkspace(ctx.db, principal.workspaceId).syncWindow.findUnique({
    where: { id: windowId },
  });
  if (!window) throw AppError.notFound('sync window');
  await auditedWrite({
    ctx,
    principal,
    origin,
    write: (tx) => tx.syncWindow.delete({ where: { id: window.id } }),
    audit: () => audited('sync-window.delete', window),
  });
  await requestReplanForWorkspace({ ctx, workspaceId: principal.workspaceId });
}
