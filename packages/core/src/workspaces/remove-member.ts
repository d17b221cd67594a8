import { forWorkspace } from '@flotilla/db';
import type { Principal, RequestOrigin } from '../auth/principal.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { assertAnotherAdmin, changeMembers, withdrawAccess } from './member-changes.ts';
import { memberUserFields } from './member-dto.ts';

/**
 * Takes a user out of the workspace: their sessions end and the API tokens they created here
 * are revoked. The account stays (it may belong to other workspaces). Not the last admin (409).
 */
export async function removeMember({
  ctx,
  principal,
  origin,
  memberId,
}: {
  ctx: Pick<CoreContext, 'db' | 'now'>;
  principal: Principal;
  origin?: RequestOrigin;
  memberId: string;
}): Promise<void> {
  const db = forWorkspace(ctx.db, principal.workspaceId);
  const removed = await changeMembers(db, async (tx) => {
    const current = await tx.membership.findUnique({
      where: { id: memberId },
      include: { user: memberUserFields },
    });
    if (!current) throw AppError.notFound('member');
    if (current.role === 'admin') await assertAnotherAdmin(tx, memberId);
    await tx.membership.delete({ where: { id: memberId } });
    return current;
  });
  const withdrawn = await withdrawAccess({
    ctx,
    workspaceId: principal.workspaceId,
    userId: removed.userId,
    remainingRole: null,
  });
  await recordAudit({
    ctx,
    record: {
      workspaceId: principal.workspaceId,
      actor: principal,
      ...(origin ? { origin } : {}),
      action: 'member.delete',
      objectType: 'member',
      objectId: memberId,
      details: { email: removed.user.email, role: removed.role, ...withdrawn },
    },
  });
}
