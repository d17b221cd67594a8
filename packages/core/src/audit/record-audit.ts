import type { Prisma } from '@flotilla/db';
import type { Principal, RequestOrigin } from '../auth/principal.ts';
import type { CoreContext } from '../context.ts';

export interface AuditRecord {
  workspaceId: string;
  actor: Pick<Principal, 'kind' | 'id' | 'label'> | { kind: 'system'; id?: string; label: string };
  origin?: RequestOrigin;
  /** verb.noun, e.g. cluster.create, gitrepo.sync, deployment.correct-drift, auth.login */
  action: string;
  objectType: string;
  objectId?: string | null;
  /** What changed, never a secret: callers pass names and ids, not request bodies. */
  details?: Prisma.InputJsonObject;
}

export async function recordAudit({
  ctx,
  record,
}: {
  ctx: Pick<CoreContext, 'db'>;
  record: AuditRecord;
}): Promise<void> {
  await ctx.db.auditEntry.create({
    data: {
      workspaceId: record.workspaceId,
      actorType: record.actor.kind,
      actorId: record.actor.id ?? null,
      actorLabel: record.actor.label,
      action: record.action,
      objectType: record.objectType,
      objectId: record.objectId ?? null,
      ip: record.origin?.ip ?? null,
      details: record.details ?? {},
    },
  });
}
