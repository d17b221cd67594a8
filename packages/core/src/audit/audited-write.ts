import { forWorkspace, type WorkspaceTx } from '@flotilla/db';
import type { Principal, RequestOrigin } from '../auth/principal.ts';
import type { CoreContext } from '../context.ts';
import { auditRow, type AuditRecord } from './record-audit.ts';

/** What the audit row says of a change; who and where come from the caller. */
export type AuditedChange = Pick<AuditRecord, 'action' | 'objectType' | 'objectId' | 'details'>;

/**
 * A change and its audit row in ONE transaction, through the workspace-scoped client: either
 * both are written or neither, so the trail never lists a change that did not happen, nor
 * misses one that did. `audit` is given what `write` returned (the new row's id, its name).
 */
export async function auditedWrite<T>({
  ctx,
  principal,
  origin,
  write,
  audit,
}: {
  ctx: Pick<CoreContext, 'db'>;
  principal: Pick<Principal, 'kind' | 'id' | 'label' | 'workspaceId'>;
  origin?: RequestOrigin | undefined;
  write: (tx: WorkspaceTx) => Promise<T>;
  audit: (result: T) => AuditedChange;
}): Promise<T> {
  return forWorkspace(ctx.db, principal.workspaceId).$transaction(async (tx) => {
    const result = await write(tx);
    await tx.auditEntry.create({
      data: auditRow({
        workspaceId: principal.workspaceId,
        actor: principal,
        ...(origin ? { origin } : {}),
        ...audit(result),
      }),
    });
    return result;
  });
}
