import { forWorkspace } from '@flotilla/db';
import type { Principal } from '../auth/principal.ts';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { toNotificationRuleDto, type NotificationRuleDto } from './notification-rule-dto.ts';

export async function listNotificationRules({
  ctx,
  principal,
}: {
  ctx: Pick<CoreContext, 'db'>;
  principal: Principal;
}): Promise<{ items: NotificationRuleDto[]; nextCursor: null }> {
  const rows = await forWorkspace(ctx.db, principal.workspaceId).notificationRule.findMany({
    orderBy: { name: 'asc' },
  });
  return { items: rows.map(toNotificationRuleDto), nextCursor: null };
}

export async function getNotificationRule({
  ctx,
  principal,
  ruleId,
}: {
  ctx: Pick<CoreContext, 'db'>;
  principal: Principal;
  ruleId: string;
}): Promise<NotificationRuleDto> {
  const row = await forWorkspace(ctx.db, principal.workspaceId).notificationRule.findUnique({
    where: { id: ruleId },
  });
  if (!row) throw AppError.notFound('notification rule');
  return toNotificationRuleDto(row);
}
