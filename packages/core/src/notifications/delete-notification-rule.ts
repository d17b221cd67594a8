import { forWorkspace } from '@flotilla/db';
import { auditedWrite } from '../audit/audited-write.ts';
import type { Principal, RequestOrigin } from '../auth/principal.ts';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { audited } from './notification-audit.ts';

/** Removes a rule and its delivery log; messages still queued for it are dropped when picked up. */
export async function deleteNotificationRule({
  ctx,
  principal,
  origin,
  ruleId,
}: {
  ctx: Pick<CoreContext, 'db'>;
  principal: Principal;
  origin?: RequestOrigin;
  ruleId: string;
}): Promise<void> {
  const rule = await forWorkspace(ctx.db, principal.workspaceId).notificationRule.findUnique({
    where: { id: ruleId },
  });
  if (!rule) throw AppError.notFound('notification rule');
  await auditedWrite({
    ctx,
    principal,
    origin,
    write: (tx) => tx.notificationRule.delete({ where: { id: rule.id } }),
    audit: () => audited('notification-rule.delete', rule),
  });
}
