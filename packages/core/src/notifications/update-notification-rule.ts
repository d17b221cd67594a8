import { forWorkspace, isUniqueViolation, Prisma } from '@flotilla/db';
import { auditedWrite } from '../audit/audited-write.ts';
import type { Principal, RequestOrigin } from '../auth/principal.ts';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { asJson } from '../json.ts';
import { audited } from './notification-audit.ts';
import {
  ruleDataOf,
  toNotificationRuleDto,
  type NotificationRuleDto,
} from './notification-rule-dto.ts';
import { destinationHint, parseNotificationRuleUpdate } from './schemas.ts';

/** Changes a rule; a destination given without a new secret keeps the stored one (webhooks). */
export async function updateNotificationRule({
  ctx,
  principal,
  origin,
  ruleId,
  input,
}: {
  ctx: Pick<CoreContext, 'db' | 'secrets'>;
  principal: Principal;
  origin?: RequestOrigin;
  ruleId: string;
  input: unknown;
}): Promise<NotificationRuleDto> {
  const stored = await forWorkspace(ctx.db, principal.workspaceId).notificationRule.findUnique({
    where: { id: ruleId },
  });
  if (!stored) throw AppError.notFound('notification rule');
  const data = parseNotificationRuleUpdate(input, ruleDataOf(ctx.secrets, stored));
  try {
    const row = await auditedWrite({
      ctx,
      principal,
      origin,
      write: (tx) =>
        tx.notificationRule.update({
          where: { id: stored.id },
          data: {
            name: data.name,
            events: data.events,
            clusterSelector: data.clusterSelector ? asJson(data.clusterSelector) : Prisma.DbNull,
            destinationKind: data.destinationKind,
            destination: ctx.secrets.seal(data.destination, stored.id),
            destinationHint: destinationHint(data.destination.url),
            hasSigningSecret: data.destination.secret !== null,
            windowSeconds: data.windowSeconds,
            isEnabled: data.isEnabled,
          },
        }),
      audit: (updated) => audited('notification-rule.update', updated),
    });
    return toNotificationRuleDto(row);
  } catch (error) {
    if (isUniqueViolation(error))
      throw new AppError('Conflict', `a notification rule named "${data.name}" already exists`);
    throw error;
  }
}
