import { forWorkspace } from '@flotilla/db';
import { recordAudit } from '../audit/record-audit.ts';
import type { Principal, RequestOrigin } from '../auth/principal.ts';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { createDelivery } from './collect-notifications.ts';
import {
  toNotificationDeliveryDto,
  type NotificationDeliveryDto,
} from './notification-rule-dto.ts';

/**
 * "Send test": one made-up ErrApplied transition, sent to the rule's destination like a real
 * message (signed, retried, logged), whether or not the rule is enabled.
 */
export async function sendTestNotification({
  ctx,
  principal,
  origin,
  ruleId,
}: {
  ctx: Pick<CoreContext, 'db' | 'queues' | 'now'>;
  principal: Principal;
  origin?: RequestOrigin;
  ruleId: string;
}): Promise<NotificationDeliveryDto> {
  const scoped = forWorkspace(ctx.db, principal.workspaceId);
  const rule = await scoped.notificationRule.findUnique({ where: { id: ruleId } });
  if (!rule) throw AppError.notFound('notification rule');
  const deliveryId = await createDelivery({
    ctx,
    rule,
    kind: 'test',
    items: [
      {
        transition: {
          kind: 'deployment',
          deploymentId: 'test',
          bundleId: 'test',
          clusterId: 'test',
          fromState: 'Ready',
          toState: 'ErrApplied',
          message: 'a test message from Flotilla',
          at: ctx.now().toISOString(),
        },
        bundleName: 'example',
        clusterName: 'example-cluster',
      },
    ],
  });
  await recordAudit({
    ctx,
    record: {
      workspaceId: principal.workspaceId,
      actor: principal,
      ...(origin ? { origin } : {}),
      action: 'notification-rule.test',
      objectType: 'notification-rule',
      objectId: rule.id,
      details: { name: rule.name, deliveryId },
    },
  });
  const row = await scoped.notificationDelivery.findUniqueOrThrow({ where: { id: deliveryId } });
  return toNotificationDeliveryDto(row);
}
