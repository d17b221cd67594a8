import { forWorkspace, type Role } from '@flotilla/db';
import { isRoleAtLeast } from '../auth/principal.ts';
import { endUserSessions } from '../auth/sessions.ts';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';

type Db = ReturnType<typeof forWorkspace>;
type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];

const ROLES: readonly Role[] = ['admin', 'operator', 'viewer'];

/**
 * Runs a change to a workspace's members so that it can never leave the workspace without an
 * admin: serializable, so two admins demoting each other at once cannot both succeed.
 */
export async function changeMembers<T>(db: Db, change: (tx: Tx) => Promise<T>): Promise<T> {
  try {
    return await db.$transaction(change, { isolationLevel: 'Serializable' });
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'P2034') {
      throw new AppError('Conflict', 'the members changed at the same time; try again');
    }
    throw error;
  }
}

export async function assertAnotherAdmin(tx: Tx, membershipId: string): Promise<void> {
  const others = await tx.membership.count({ where: { role: 'admin', id: { not: membershipId } } });
  if (others === 0)
    throw new AppError(
      'Conflict',
      'a workspace needs at least one admin; make someone else admin first',
    );
}

/**
 * After a user's role drops (or they leave): end their sessions everywhere, and revoke the API
 * tokens they created here with more power than they now have, or the token would keep it.
 */
export async function withdrawAccess({
  ctx,
  workspaceId,
  userId,
  remainingRole,
}: {
  ctx: Pick<CoreContext, 'db' | 'now'>;
  workspaceId: string;
  userId: string;
  /** null: no longer a member. */
  remainingRole: Role | null;
}): Promise<{ sessionsEnded: number; tokensRevoked: number }> {
  const tooStrong = ROLES.filter(
    (role) => remainingRole === null || !isRoleAtLeast(remainingRole, role),
  );
  const [sessionsEnded, revoked] = await Promise.all([
    endUserSessions({ ctx, userId }),
    forWorkspace(ctx.db, workspaceId).apiToken.updateMany({
      where: { createdById: userId, revokedAt: null, role: { in: tooStrong } },
      data: { revokedAt: ctx.now() },
    }),
  ]);
  return { sessionsEnded, tokensRevoked: revoked.count };
}
