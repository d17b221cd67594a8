import { forWorkspace } from '@flotilla/db';
import type { Principal } from '../auth/principal.ts';
import type { CoreContext } from '../context.ts';
import { toSyncWindowDto, type SyncWindowDto } from './sync-window-dto.ts';

export async function listSyncWindows({
  ctx,
  principal,
}: {
  ctx: Pick<CoreContext, 'db' | 'now'>;
  principal: Principal;
}): Promise<{ items: SyncWindowDto[]; nextCursor: null }> {
  const rows = await forWorkspace(ctx.db, principal.workspaceId).syncWindow.findMany({
    orderBy: { name: 'asc' },
  });
  const now = ctx.now();
  return { items: rows.map((row) => toSyncWindowDto(row, now)), nextCursor: null };
}
