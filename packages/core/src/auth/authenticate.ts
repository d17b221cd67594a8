import type { CoreContext } from '../context.ts';
import type { Principal, RequestOrigin } from './principal.ts';
import { apiTokenExpiry, constantTimeEquals, hashSecret } from './tokens.ts';
import { noteApiTokenUse } from './note-api-token-use.ts';
import { ensureDefaultWorkspace } from '../workspaces/ensure-default-workspace.ts';

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
      const workspace = await ensureDefaultWorkspace({ ctx });
      return {
        kind: 'bootstrap',
        id: 'bootstrap',
        label: 'bootstrap token',
        workspaceId: workspace.id,
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
    const session = await ctx.db.session.findUnique({
      where: { tokenHash: hashSecret(sessionSecret) },
      include: { user: true },
    });
    if (!session || session.expiresAt <= ctx.now()) return null;
    const membership = await ctx.db.membership.findUnique({
      where: { workspaceId_userId: { workspaceId: session.workspaceId, userId: session.userId } },
    });
    if (!membership) return null;
    return {
      kind: 'user',
      id: session.userId,
      userId: session.userId,
      label: session.user.email,
      workspaceId: session.workspaceId,
      role: membership.role,
      sessionId: session.id,
    };
  }
  return null;
}
