import { forWorkspace, isUniqueViolation } from '@flotilla/db';
import { hashPassword } from '../auth/passwords.ts';
import type { Principal, RequestOrigin } from '../auth/principal.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { memberUserFields, toMemberDto, type MemberDto } from './member-dto.ts';
import type { AddMemberInput } from './schemas.ts';

/**
 * Gives a user a role in the caller's workspace, creating the account when the email is new
 * (then a password is required). An existing account keeps its password: an admin of one
 * workspace must not be able to take over an account that also belongs to others.
 */
export async function addMember({
  ctx,
  principal,
  origin,
  input,
}: {
  ctx: Pick<CoreContext, 'db'>;
  principal: Principal;
  origin?: RequestOrigin;
  input: AddMemberInput;
}): Promise<MemberDto & { isNewUser: boolean }> {
  const db = forWorkspace(ctx.db, principal.workspaceId);
  const existing = await ctx.db.user.findUnique({ where: { email: input.email } });
  if (existing && (await db.membership.findFirst({ where: { userId: existing.id } }))) {
    throw new AppError('Conflict', `${input.email} is already a member of this workspace`);
  }
  if (!existing && input.password === undefined) {
    throw AppError.validation([{ path: 'password', message: 'is required for a new user' }]);
  }
  // Hashing takes a while: before the transaction, not inside it.
  const passwordHash = existing ? undefined : await hashPassword(input.password!);
  const membership = await db
    .$transaction(async (tx) => {
      const userId =
        existing?.id ??
        (
          await tx.user.create({
            data: { email: input.email, name: input.name ?? '', passwordHash: passwordHash! },
          })
        ).id;
      return tx.membership.create({
        data: { workspaceId: principal.workspaceId, userId, role: input.role },
        include: { user: memberUserFields },
      });
    })
    .catch((error: unknown) => {
      // Two admins adding the same email at once: the unique indexes decide.
      if (isUniqueViolation(error)) {
        throw new AppError(
          'Conflict',
          `${input.email} was added at the same time by another request`,
        );
      }
      throw error;
    });
  await recordAudit({
    ctx,
    record: {
      workspaceId: principal.workspaceId,
      actor: principal,
      ...(origin ? { origin } : {}),
      action: 'member.create',
      objectType: 'member',
      objectId: membership.id,
      details: { email: input.email, role: input.role, isNewUser: !existing },
    },
  });
  return { ...toMemberDto(membership), isNewUser: !existing };
}
