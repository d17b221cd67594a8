import { notificationMessage, type NamedTransition } from '@flotilla/engine';

/** Events listed in one webhook body; the rest are counted in `omittedEvents`. */
const MAX_EVENTS_IN_BODY = 500;
/** Lines in a Slack message (a section block holds at most 3000 characters). */
const MAX_SLACK_LINES = 20;

export interface NotificationContext {
  deliveryId: string;
  rule: { id: string; name: string; workspaceId: string };
  kind: 'events' | 'test';
  createdAt: Date;
}

/** The JSON body of a generic webhook (docs/NOTIFICATIONS.md "Payload"). */
export function webhookPayload(context: NotificationContext, items: readonly NamedTransition[]) {
  const message = notificationMessage(items);
  return {
    type: context.kind === 'test' ? 'flotilla.notification.test' : 'flotilla.notification',
    deliveryId: context.deliveryId,
    createdAt: context.createdAt.toISOString(),
    workspaceId: context.rule.workspaceId,
    rule: { id: context.rule.id, name: context.rule.name },
    summary: message.summary,
    eventCount: items.length,
    events: items.slice(0, MAX_EVENTS_IN_BODY).map(({ transition, bundleName, clusterName }) =>
      transition.kind === 'rollout'
        ? {
            type: 'rollout.halted',
            at: transition.at,
            bundle: { id: transition.bundleId, name: bundleName },
            message: transition.message,
          }
        : {
            type: `deployment.${transition.toState}`,
            at: transition.at,
            deploymentId: transition.deploymentId,
            bundle: { id: transition.bundleId, name: bundleName },
            cluster: { id: transition.clusterId, name: clusterName },
            fromState: transition.fromState,
            toState: transition.toState,
            message: transition.message,
          },
    ),
    omittedEvents: Math.max(0, items.length - MAX_EVENTS_IN_BODY),
  };
}

/** A Slack incoming-webhook message: `text` for notifications, blocks for the channel. */
export function slackPayload(context: NotificationContext, items: readonly NamedTransition[]) {
  const message = notificationMessage(items);
  const lines = message.lines.slice(0, MAX_SLACK_LINES);
  const escape = (text: string) =>
    text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
  return {
    text: `Flotilla: ${message.summary}`.slice(0, 3000),
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `*Flotilla · ${escape(context.rule.name)}*${context.kind === 'test' ? ' (test)' : ''}`,
        },
      },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: lines
            .map((line) => `• ${escape(line)}`)
            .join('\n')
            .slice(0, 2900),
        },
      },
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: `${items.length} event${items.length === 1 ? '' : 's'} · delivery ${context.deliveryId}`,
          },
        ],
      },
    ],
  };
}
