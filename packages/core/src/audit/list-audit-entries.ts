import { forWorkspace, pageArgs, toPage, type Page } from '@flotilla/db';
import type { Principal } from '../auth/principal.ts';
import type { CoreContext } from '../context.ts';

export interface AuditEntryDto {
  id: string;
  at: string;
  actor: { type: string; id: string | null; label: string };
  action: string;
  objectType: string;
  objectId: string | null;
  ip: string | null;
  details: unknown;
}

/** The workspace's audit trail, newest first, optionally one action or one kind of object. */
export async function listAuditEntries({
  ctx,
  principal,
  action,
  objectType,
  limit = 100,
  cursor,
}: {
  ctx: Pick<CoreContext, 'db'>;
  principal: Principal;
  action?: string | undefined;
  objectType?: string | undefined;
  limit?: number;
  cursor?: string | undefined;
}): Promise<Page<AuditEntryDto>> {
  const db = forWorkspace(ctx.db, principal.workspaceId);
  const rows = await db.auditEntry.findMany({
    where: { ...(action ? { action } : {}), ...(objectType ? { objectType } : {}) },
    ...pageArgs({ limit, cursor }),
    orderBy: [{ at: 'desc' }, { id: 'desc' }],
  });
  const page = toPage(rows, limit);
  return {
    items: page.items.map((row) => ({
      id: row.id,
      at: row.at.toISOString(),
      actor: { type: row.actorType, id: row.actorId, label: row.actorLabel },
      action: row.action,
      objectType: row.objectType,
      objectId: row.objectId,
      ip: row.ip,
      details: row.details,
    })),
    nextCursor: page.nextCursor,
  };
}
