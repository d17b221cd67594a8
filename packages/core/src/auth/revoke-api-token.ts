import { forWorkspace } from '@flotilla/db';
import { recordAudit } from '../audit/record-audit.ts';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';
import type { Principal, RequestOrigin } from './principal.ts';

/** From now on the token answers 401. Revoking a revoked token changes nothing. */
export async function revokeApiToken({
  ctx,
  principal,
  origin,
  tokenId,
}: {
  ctx: Pick<CoreContext, 'db' | 'now'>;
  principal: Principal;
  origin?: RequestOrigin;
  tokenId: string;
}): Promise<void> {
  const db = forWorkspace(ctx.db, principal.workspaceId);
  const token = await db.apiToken.findUnique({ where: { id: tokenId } });
  if (!token) throw AppError.notFound('API token');
  if (token.revokedAt) return;
  await db.apiToken.update({ where: { id: tokenId }, data: { revokedAt: ctx.now() } });
  await recordAudit({
    ctx,
    record: {
      workspaceId: principal.workspaceId,
      actor: principal,
      ...(origin ? { origin } : {}),
      action: 'token.revoke',
      objectType: 'token',
      objectId: tokenId,
      details: { name: token.name, role: token.role, prefix: token.prefix },
    },
  });
}
