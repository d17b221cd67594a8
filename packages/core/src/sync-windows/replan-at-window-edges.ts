import { nextSyncWindowEdge } from '@flotilla/engine';
import { requestReplanForWorkspace } from '../bundles/request-replan.ts';
import type { CoreContext } from '../context.ts';
import { syncWindowOf } from './sync-window-dto.ts';

/**
 * The wake-up of held changes: a window that opened or closed since the last tick plans its
 * workspace again, so a change held "until 09:00" goes out at 09:00, not at the next periodic
 * re-plan. Each due row is claimed by moving its `nextEdgeAt` from the value read (compare and
 * set), so two workers ticking at once plan once. Timed by ctx.now(), which tests move.
 */
export async function replanAtWindowEdges({
  ctx,
}: {
  ctx: Pick<CoreContext, 'db' | 'queues' | 'now'>;
}): Promise<number> {
  const now = ctx.now();
  const due = await ctx.db.syncWindow.findMany({ where: { nextEdgeAt: { lte: now } } });
  const workspaces = new Set<string>();
  for (const row of due) {
    const { count } = await ctx.db.syncWindow.updateMany({
      where: { id: row.id, nextEdgeAt: row.nextEdgeAt },
      data: { nextEdgeAt: nextSyncWindowEdge(syncWindowOf(row), now) },
    });
    if (count === 1) workspaces.add(row.workspaceId);
  }
  for (const workspaceId of workspaces) await requestReplanForWorkspace({ ctx, workspaceId });
  return workspaces.size;
}
