import { forWorkspace } from '@flotilla/db';
import type { Principal } from '../auth/principal.ts';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';
import {
  toNotificationDeliveryDto,
  type NotificationDeliveryDto,
} from './notification-rule-dto.ts';

/** A rule's delivery log, newest first (the newest `limit`, 50 by default). */
export async function listNotificationDeliveries({
  ctx,
  principal,
  ruleId,
  limit = 50,
}: {
  ctx: Pick<CoreContext, 'db'>;
  principal: Principal;
  ruleId: string;
  limit?: number;
}): Promise<{ items: NotificationDeliveryDto[]; nextCursor: null }> {
  const scoped = forWorkspace(ctx.db, principal.workspaceId);
  const rule = await scoped.notificationRule.findUnique({ where: { id: ruleId } });
  if (!rule) throw AppError.notFound('notification rule');
  const rows = await scoped.notificationDelivery.findMany({
    where: { ruleId: rule.id },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: Math.min(200, Math.max(1, limit)),
  });
  return { items: rows.map(toNotificationDeliveryDto), nextCursor: null };
}
