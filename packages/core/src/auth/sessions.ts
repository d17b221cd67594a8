import type { CoreContext } from '../context.ts';
import type { RequestOrigin } from './principal.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { AppError } from '../errors.ts';
import { dummyPasswordHash, verifyPassword } from './passwords.ts';
import { generateSessionSecret, hashSecret } from './tokens.ts';

export const SESSION_TTL_MS = 7 * 24 * 3600 * 1000;

export interface SignedIn {
  sessionSecret: string;
  expiresAt: Date;
  user: { id: string; email: string; name: string };
  workspaceId: string;
}

/**
 * Email + password sign-in. The session secret goes to the cookie; only its hash is stored.
 * Wrong email and wrong password answer the same, in the same time.
 */
export async function signIn({
  ctx,
  email,
  password,
  origin,
}: {
  ctx: Pick<CoreContext, 'db' | 'now'>;
  email: string;
  password: string;
  origin?: RequestOrigin;
}): Promise<SignedIn> {
  const user = await ctx.db.user.findUnique({
    where: { email: email.trim().toLowerCase() },
    include: { memberships: { orderBy: { createdAt: 'asc' } } },
  });
  const isValid = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
  if (!user || !isValid) throw new AppError('Unauthorized', 'wrong email or password');
  const membership = user.memberships[0];
  if (!membership) throw new AppError('Forbidden', 'this account is not a member of any workspace');
  const sessionSecret = generateSessionSecret();
  const expiresAt = new Date(ctx.now().getTime() + SESSION_TTL_MS);
  await ctx.db.session.create({
    data: { tokenHash: hashSecret(sessionSecret), userId: user.id, workspaceId: membership.workspaceId, expiresAt },
  });
  await recordAudit({
    ctx,
    record: {
      workspaceId: membership.workspaceId,
      actor: { kind: 'user', id: user.id, label: user.email },
      ...(origin ? { origin } : {}),
      action: 'auth.login',
      objectType: 'user',
      objectId: user.id,
    },
  });
  return { sessionSecret, expiresAt, user: { id: user.id, email: user.email, name: user.name }, workspaceId: membership.workspaceId };
}

/** Ends the session: the cookie's secret no longer authenticates anything. */
export async function signOut({ ctx, sessionSecret }: { ctx: Pick<CoreContext, 'db'>; sessionSecret: string }): Promise<void> {
  await ctx.db.session.deleteMany({ where: { tokenHash: hashSecret(sessionSecret) } });
}
