import { isUniqueViolation } from '@flotilla/db';
import { auditedWrite } from '../audit/audited-write.ts';
import type { Principal, RequestOrigin } from '../auth/principal.ts';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { newId } from '../ids.ts';
import { asJson } from '../json.ts';
import { audited } from './notification-audit.ts';
import { toNotificationRuleDto, type NotificationRuleDto } from './notification-rule-dto.ts';
import { destinationHint, parseNotificationRuleInput } from './schemas.ts';

/** Adds a notification rule; its URL and secret are sealed with the row id as AAD. */
export async function createNotificationRule({
  ctx,
  principal,
  origin,
  input,
}: {
  ctx: Pick<CoreContext, 'db' | 'secrets'>;
  principal: Principal;
  origin?: RequestOrigin;
  input: unknown;
}): Promise<NotificationRuleDto> {
  const data = parseNotificationRuleInput(input);
  const id = newId();
  try {
    const row = await auditedWrite({
      ctx,
      principal,
      origin,
      write: (tx) =>
        tx.notificationRule.create({
          data: {
            id,
            workspaceId: principal.workspaceId,
            name: data.name,
            events: data.events,
            clusterSelector: data.clusterSelector ? asJson(data.clusterSelector) : undefined,
            destinationKind: data.destinationKind,
            destination: ctx.secrets.seal(data.destination, id),
            destinationHint: destinationHint(data.destination.url),
            hasSigningSecret: data.destination.secret !== null,
            windowSeconds: data.windowSeconds,
            isEnabled: data.isEnabled,
          },
        }),
      audit: (created) => audited('notification-rule.create', created),
    });
    return toNotificationRuleDto(row);
  } catch (error) {
    if (isUniqueViolation(error))
      throw new AppError('Conflict', `a notification rule named "${data.name}" already exists`);
    throw error;
  }
}
