import { forWorkspace, type Role } from '@flotilla/db';
import type { Principal, RequestOrigin } from '../auth/principal.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { assertAnotherAdmin, changeMembers, withdrawAccess } from './member-changes.ts';
import { memberUserFields, toMemberDto, type MemberDto } from './member-dto.ts';

/**
 * Gives a member another role. The user's sessions end (they sign in again under the new
 * role), and the last admin cannot be demoted (409).
 */
export async function changeMemberRole({
  ctx,
  principal,
  origin,
  memberId,
  role,
}: {
  ctx: Pick<CoreContext, 'db' | 'now'>;
  principal: Principal;
  origin?: RequestOrigin;
  memberId: string;
  role: Role;
}): Promise<MemberDto> {
  const db = forWorkspace(ctx.db, principal.workspaceId);
  const { before, after } = await changeMembers(db, async (tx) => {
    const current = await tx.membership.findUnique({
      where: { id: memberId },
      include: { user: memberUserFields },
    });
    if (!current) throw AppError.notFound('member');
    if (current.role === role) return { before: current, after: current };
    if (current.role === 'admin') await assertAnotherAdmin(tx, memberId);
    const updated = await tx.membership.update({
      where: { id: memberId },
      data: { role },
      include: { user: memberUserFields },
    });
    return { before: current, after: updated };
  });
  if (before.role === after.role) return toMemberDto(after);
  const withdrawn = await withdrawAccess({
    ctx,
    workspaceId: principal.workspaceId,
    userId: after.userId,
    remainingRole: role,
  });
  await recordAudit({
    ctx,
    record: {
      workspaceId: principal.workspaceId,
      actor: principal,
      ...(origin ? { origin } : {}),
      action: 'member.update',
      objectType: 'member',
      objectId: memberId,
      details: { email: after.user.email, from: before.role, to: role, ...withdrawn },
    },
  });
  return toMemberDto(after);
}
