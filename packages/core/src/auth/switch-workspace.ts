import { forWorkspace } from '@flotilla/db';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { describeSession, type SessionDto } from './describe-session.ts';
import type { Principal } from './principal.ts';

/**
 * Makes another of the user's workspaces the session's current one. A workspace the user is
 * not a member of answers 404, like one that does not exist. An API token belongs to one
 * workspace: "switching" to it changes nothing, and any other is not found.
 */
export async function switchWorkspace({
  ctx,
  principal,
  workspaceId,
}: {
  ctx: Pick<CoreContext, 'db'>;
  principal: Principal;
  workspaceId: string;
}): Promise<SessionDto> {
  if (principal.kind !== 'user' || !principal.sessionId || !principal.userId) {
    if (workspaceId !== principal.workspaceId) throw AppError.notFound('workspace');
    return describeSession({ ctx, principal });
  }
  const membership = await forWorkspace(ctx.db, workspaceId).membership.findFirst({
    where: { userId: principal.userId },
  });
  if (!membership) throw AppError.notFound('workspace');
  await ctx.db.session.update({ where: { id: principal.sessionId }, data: { workspaceId } });
  return describeSession({ ctx, principal: { ...principal, workspaceId, role: membership.role } });
}
