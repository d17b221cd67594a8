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

/**
 * One audit row on its own: for what changes nothing else in Postgres (a sign-in, a sync
 * request). A change to a row goes through auditedWrite, in the change's transaction.
 */
export async function recordAudit({
  ctx,
  record,
}: {
  ctx: Pick<CoreContext, 'db'>;
  record: AuditRecord;
}): Promise<void> {
  await ctx.db.auditEntry.create({ data: auditRow(record) });
}

/** The AuditEntry row of a record. */
export function auditRow(record: AuditRecord) {
  return {
    workspaceId: record.workspaceId,
    actorType: record.actor.kind,
    actorId: record.actor.id ?? null,
    actorLabel: record.actor.label,
    action: record.action,
    objectType: record.objectType,
    objectId: record.objectId ?? null,
    ip: record.origin?.ip ?? null,
    details: record.details ?? {},
  } satisfies Prisma.AuditEntryUncheckedCreateInput;
}
