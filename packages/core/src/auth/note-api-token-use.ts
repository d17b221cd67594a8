import { forWorkspace } from '@flotilla/db';
import { recordAudit } from '../audit/record-audit.ts';
import type { CoreContext } from '../context.ts';
import type { Principal, RequestOrigin } from './principal.ts';

/** lastUsedAt and the `token.use` audit entry move at most this often per token. */
export const TOKEN_USE_PRECISION_MS = 60_000;

/**
 * Records that an API token was used: lastUsedAt, and a `token.use` audit entry. Writing on
 * every request would double the load of a busy script, so both happen at most once a minute.
 * The conditional update decides which of several parallel requests writes the entry.
 */
export async function noteApiTokenUse({
  ctx,
  principal,
  now,
  lastUsedAt,
  origin,
}: {
  ctx: Pick<CoreContext, 'db'>;
  principal: Principal;
  now: Date;
  /** The token's lastUsedAt as the caller just read it: recent enough, no statement at all. */
  lastUsedAt?: Date | null;
  origin?: RequestOrigin;
}): Promise<void> {
  const before = new Date(now.getTime() - TOKEN_USE_PRECISION_MS);
  if (lastUsedAt && lastUsedAt >= before) return;
  const db = forWorkspace(ctx.db, principal.workspaceId);
  const { count } = await db.apiToken.updateMany({
    where: { id: principal.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: before } }] },
    data: { lastUsedAt: now },
  });
  if (count === 0) return;
  await recordAudit({
    ctx,
    record: {
      workspaceId: principal.workspaceId,
      actor: principal,
      ...(origin ? { origin } : {}),
      action: 'token.use',
      objectType: 'token',
      objectId: principal.id,
    },
  });
}
