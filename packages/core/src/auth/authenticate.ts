import { Prisma, queryRows, type Role } from '@flotilla/db';
import type { CoreContext } from '../context.ts';
import type { Principal, RequestOrigin } from './principal.ts';
import { apiTokenExpiry, constantTimeEquals, hashSecret } from './tokens.ts';
import { noteApiTokenUse } from './note-api-token-use.ts';
import { defaultWorkspaceId } from '../workspaces/ensure-default-workspace.ts';

export interface AuthenticateOptions {
  ctx: Pick<CoreContext, 'db' | 'now'>;
  bearerToken?: string;
  sessionSecret?: string;
  /** FLOTILLA_BOOTSTRAP_TOKEN, when set: an admin token of the default workspace. */
  bootstrapToken?: string;
  /** Where the request came from, for the audit entry of an API token's use. */
  origin?: RequestOrigin;
}

/**
 * Resolves who is calling. Returns null for "nobody" (no credential, an unknown, revoked or
 * expired one): the edge answers 401 the same way for each, so a caller learns nothing about
 * which tokens exist.
 */
export async function authenticate({
  ctx,
  bearerToken,
  sessionSecret,
  bootstrapToken,
  origin,
}: AuthenticateOptions): Promise<Principal | null> {
  if (bearerToken) {
    if (bootstrapToken && constantTimeEquals(bearerToken, bootstrapToken)) {
      return {
        kind: 'bootstrap',
        id: 'bootstrap',
        label: 'bootstrap token',
        workspaceId: await defaultWorkspaceId({ ctx }),
        role: 'admin',
      };
    }
    const expiresAt = apiTokenExpiry(bearerToken);
    if (expiresAt === undefined) return null;
    const token = await ctx.db.apiToken.findUnique({
      where: { tokenHash: hashSecret(bearerToken) },
    });
    const now = ctx.now();
    if (!token || token.revokedAt || (expiresAt && expiresAt <= now)) return null;
    const principal: Principal = {
      kind: 'token',
      id: token.id,
      label: `token ${token.name} (${token.prefix}…)`,
      workspaceId: token.workspaceId,
      role: token.role,
      ...(token.createdById ? { userId: token.createdById } : {}),
    };
    await noteApiTokenUse({
      ctx,
      principal,
      now,
      lastUsedAt: token.lastUsedAt,
      ...(origin ? { origin } : {}),
    });
    return principal;
  }
  if (sessionSecret) {
    // Every request of the dashboard asks: the session, its user and the user's membership of
    // the session's workspace in one statement on the driver, instead of two Prisma reads.
    const [session] = await queryRows<{
      id: string;
      userId: string;
      workspaceId: string;
      expiresAt: Date;
      email: string;
      role: Role;
    }>(
      ctx.db,
      Prisma.sql`
        SELECT s.id, s."userId", s."workspaceId", s."expiresAt", u.email, m.role
        FROM "Session" s
        JOIN "User" u ON u.id = s."userId"
        JOIN "Membership" m ON m."workspaceId" = s."workspaceId" AND m."userId" = s."userId"
        WHERE s."tokenHash" = ${hashSecret(sessionSecret)}`,
    );
    // No row: an unknown session, or a user who is no longer a member of its workspace.
    if (!session || session.expiresAt <= ctx.now()) return null;
    return {
      kind: 'user',
      id: session.userId,
      userId: session.userId,
      label: session.email,
      workspaceId: session.workspaceId,
      role: session.role,
      sessionId: session.id,
    };
  }
  return null;
}
