import type { CoreContext } from '../context.ts';
import type { Principal, RequestOrigin } from './principal.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { AppError } from '../errors.ts';
import { reserveLoginAttempt, releaseLoginAttempt } from './login-rate-limit.ts';
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
 * Wrong email and wrong password answer the same, in the same time. Every attempt counts
 * against this client's allowance for the account first (login-rate-limit.ts); `origin.ip` is
 * the client as resolveClientAddress found it, never a header the client wrote itself.
 */
export async function signIn({
  ctx,
  email,
  password,
  origin,
}: {
  ctx: Pick<CoreContext, 'db' | 'now' | 'redis' | 'logger'>;
  email: string;
  password: string;
  origin?: RequestOrigin;
}): Promise<SignedIn> {
  const normalizedEmail = email.trim().toLowerCase();
  const attempt = await reserveLoginAttempt({
    redis: ctx.redis,
    email: normalizedEmail,
    client: origin?.ip,
    now: ctx.now(),
  });
  const user = await ctx.db.user.findUnique({
    where: { email: normalizedEmail },
    include: { memberships: { orderBy: { createdAt: 'asc' } } },
  });
  // A single-sign-on user has no password (empty hash): checked against the dummy for equal
  // timing, and never valid, whatever is typed (the dummy's own password included).
  const hasPassword = Boolean(user?.passwordHash);
  const isValid =
    (await verifyPassword(
      hasPassword ? user!.passwordHash : await dummyPasswordHash(),
      password,
    )) && hasPassword;
  const membership = user?.memberships[0];
  if (!user || !isValid) {
    if (membership) {
      await recordAudit({
        ctx,
        record: {
          workspaceId: membership.workspaceId,
          actor: { kind: 'user', id: user.id, label: user.email },
          ...(origin ? { origin } : {}),
          action: 'auth.login-failed',
          objectType: 'user',
          objectId: user.id,
        },
      });
    } else {
      // No workspace to audit in. The typed email stays out of the log: people type their
      // password into the email field.
      ctx.logger.info({ ip: origin?.ip }, 'sign-in failed for an email with no workspace');
    }
    throw new AppError('Unauthorized', 'wrong email or password');
  }
  if (!membership) throw new AppError('Forbidden', 'this account is not a member of any workspace');
  await releaseLoginAttempt({ redis: ctx.redis, attempt });
  return openSession({ ctx, user, origin, method: 'password' });
}

/**
 * Starts a session for a user who proved who they are (password or single sign-on): picks the
 * workspace to land in, stores the secret's hash, audits the sign-in with the client address.
 */
export async function openSession({
  ctx,
  user,
  origin,
  method,
}: {
  ctx: Pick<CoreContext, 'db' | 'now' | 'logger'>;
  user: { id: string; email: string; name: string; memberships: { workspaceId: string }[] };
  origin?: RequestOrigin | undefined;
  method: 'password' | 'oidc';
}): Promise<SignedIn> {
  const workspaceId = await preferredWorkspace(
    ctx,
    user.id,
    user.memberships.map((entry) => entry.workspaceId),
  );
  const sessionSecret = generateSessionSecret();
  const expiresAt = new Date(ctx.now().getTime() + SESSION_TTL_MS);
  await ctx.db.session.create({
    data: {
      tokenHash: hashSecret(sessionSecret),
      userId: user.id,
      workspaceId,
      expiresAt,
    },
  });
  await recordAudit({
    ctx,
    record: {
      workspaceId,
      actor: { kind: 'user', id: user.id, label: user.email },
      ...(origin ? { origin } : {}),
      action: 'auth.login',
      objectType: 'user',
      objectId: user.id,
      ...(method === 'oidc' ? { details: { method } } : {}),
    },
  });
  return {
    sessionSecret,
    expiresAt,
    user: { id: user.id, email: user.email, name: user.name },
    workspaceId,
  };
}

/**
 * Where a sign-in lands: the workspace of the user's latest session, so people come back to
 * where they were; at the first sign-in, the one with the most clusters (the demo fleet, say),
 * else the oldest membership.
 */
async function preferredWorkspace(
  ctx: Pick<CoreContext, 'db'>,
  userId: string,
  workspaceIds: string[],
): Promise<string> {
  const latest = await ctx.db.session.findFirst({
    where: { userId, workspaceId: { in: workspaceIds } },
    orderBy: { createdAt: 'desc' },
  });
  if (latest) return latest.workspaceId;
  const counts = await ctx.db.cluster.groupBy({
    by: ['workspaceId'],
    where: { workspaceId: { in: workspaceIds } },
    _count: { _all: true },
  });
  const busiest = counts.sort((a, b) => b._count._all - a._count._all)[0];
  return busiest?.workspaceId ?? workspaceIds[0]!;
}

/** Ends the session: the cookie's secret no longer authenticates anything. */
export async function signOut({
  ctx,
  sessionSecret,
  principal,
  origin,
}: {
  ctx: Pick<CoreContext, 'db'>;
  sessionSecret: string;
  principal?: Principal;
  origin?: RequestOrigin;
}): Promise<void> {
  const { count } = await ctx.db.session.deleteMany({
    where: { tokenHash: hashSecret(sessionSecret) },
  });
  if (count === 0 || principal?.kind !== 'user') return;
  await recordAudit({
    ctx,
    record: {
      workspaceId: principal.workspaceId,
      actor: principal,
      ...(origin ? { origin } : {}),
      action: 'auth.logout',
      objectType: 'user',
      objectId: principal.id,
    },
  });
}

/**
 * Signs a user out everywhere: after a role change or removal from a workspace, so no
 * browser keeps acting with what the user was allowed before.
 */
export async function endUserSessions({
  ctx,
  userId,
}: {
  ctx: Pick<CoreContext, 'db'>;
  userId: string;
}): Promise<number> {
  const { count } = await ctx.db.session.deleteMany({ where: { userId } });
  return count;
}
