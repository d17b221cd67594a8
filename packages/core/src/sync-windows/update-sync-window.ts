import { forWorkspace, isUniqueViolation } from '@flotilla/db';
import { nextSyncWindowEdge } from '@flotilla/engine';
import { auditedWrite } from '../audit/audited-write.ts';
import type { Principal, RequestOrigin } from '../auth/principal.ts';
import { requestReplanForWorkspace } from '../bundles/request-replan.ts';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { asJson } from '../json.ts';
import { storedTargets } from '../targets/targets.ts';
import { audited } from './sync-window-audit.ts';
import { syncWindowOf, toSyncWindowDto, type SyncWindowDto } from './sync-window-dto.ts';
import { parseSyncWindowUpdate } from './schemas.ts';

export async function updateSyncWindow({
  ctx,
  principal,
  origin,
  windowId,
  input,
}: {
  ctx: CoreContext;
  principal: Principal;
  origin?: RequestOrigin;
  windowId: string;
  input: unknown;
}): Promise<SyncWindowDto> {
  const stored = await forWorkspace(ctx.db, principal.workspaceId).syncWindow.findUnique({
    where: { id: windowId },
  });
  if (!stored) throw AppError.notFound('sync window');
  const data = parseSyncWindowUpdate(input, {
    ...syncWindowOf(stored),
    targets: storedTargets(stored.targets),
  });
  const now = ctx.now();
  try {
    const row = await auditedWrite({
      ctx,
      principal,
      origin,
      write: (tx) =>
        tx.syncWindow.update({
          where: { id: stored.id },
          data: {
            ...data,
            targets: asJson(data.targets),
            nextEdgeAt: nextSyncWindowEdge(data, now),
          },
        }),
      audit: (updated) => audited('sync-window.update', updated),
    });
    await requestReplanForWorkspace({ ctx, workspaceId: principal.workspaceId });
    return toSyncWindowDto(row, now);
  } catch (error) {
    if (isUniqueViolation(error))
      throw new AppError('Conflict', `a sync window named "${data.name}" already exists`);
    throw error;
  }
}
