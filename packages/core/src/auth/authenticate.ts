import type { CoreContext } from '../context.ts';
import type { Principal } from './principal.ts';
import { API_TOKEN_PREFIX, constantTimeEquals, hashSecret } from './tokens.ts';
import { ensureDefaultWorkspace } from '../workspaces/ensure-default-workspace.ts';

export interface AuthenticateOptions {
  ctx: Pick<CoreContext, 'db' | 'now'>;
  bearerToken?: string;
  sessionSecret?: string;
  /** FLOTILLA_BOOTSTRAP_TOKEN, when set: an admin token of the default workspace. */
  bootstrapToken?: string;
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
}: AuthenticateOptions): Promise<Principal | null> {
  if (bearerToken) {
    if (bootstrapToken && constantTimeEquals(bearerToken, bootstrapToken)) {
      const workspace = await ensureDefaultWorkspace({ ctx });
      return { kind: 'bootstrap', id: 'bootstrap', label: 'bootstrap token', workspaceId: workspace.id, role: 'admin' };
    }
    if (!bearerToken.startsWith(API_TOKEN_PREFIX)) return null;
    const token = await ctx.db.apiToken.findUnique({ where: { tokenHash: hashSecret(bearerToken) } });
    if (!token || token.revokedAt) return null;
    const now = ctx.now();
    // Recording every use would write on every request; a minute's precision is enough.
    if (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() > 60_000) {
      await ctx.db.apiToken.update({ where: { id: token.id }, data: { lastUsedAt: now } });
    }
    return {
      kind: 'token',
      id: token.id,
      label: `token ${token.name} (${token.prefix}…)`,
      workspaceId: token.workspaceId,
      role: token.role,
      ...(token.createdById ? { userId: token.createdById } : {}),
    };
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
