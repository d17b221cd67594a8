import { forWorkspace } from '@flotilla/db';
import { nextSyncWindowEdge } from '@flotilla/engine';
import { auditedWrite } from '../audit/audited-write.ts';
import type { Principal, RequestOrigin } from '../auth/principal.ts';
import { requestReplanForWorkspace } from '../bundles/request-replan.ts';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { asJson } from '../json.ts';
import { audited } from './sync-window-audit.ts';
import { toSyncWindowDto, type SyncWindowDto } from './sync-window-dto.ts';
import { parseSyncWindowInput } from './schemas.ts';

/**
 * Adds a sync window to the workspace. Every bundle is planned again, since a window may hold
 * changes on its way or, for a new allow window, open clusters that another held.
 */
export async function createSyncWindow({
  ctx,
  principal,
  origin,
  input,
}: {
  ctx: CoreContext;
  principal: Principal;
  origin?: RequestOrigin;
  input: unknown;
}): Promise<SyncWindowDto> {
  const data = parseSyncWindowInput(input);
  const existing = await forWorkspace(ctx.db, principal.workspaceId).syncWindow.findUnique({
    where: { workspaceId_name: { workspaceId: principal.workspaceId, name: data.name } },
  });
  if (existing) throw new AppError('Conflict', `a sync window named "${data.name}" already exists`);
  const now = ctx.now();
  const row = await auditedWrite({
    ctx,
    principal,
    origin,
    write: (tx) =>
      tx.syncWindow.create({
        data: {
          workspaceId: principal.workspaceId,
          ...data,
          targets: asJson(data.targets),
          nextEdgeAt: nextSyncWindowEdge(data, now),
        },
      }),
    audit: (created) => audited('sync-window.create', created),
  });
  await requestReplanForWorkspace({ ctx, workspaceId: principal.workspaceId });
  return toSyncWindowDto(row, now);
}
