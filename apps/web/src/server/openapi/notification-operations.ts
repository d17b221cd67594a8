import { notificationRuleInput, updateNotificationRuleInput } from '@flotilla/core';
import { z } from 'zod';
import type { Operation } from './operations.ts';
import { selector } from './shared.ts';

/** A rule as the API takes it (the selector in either form). */
const rule = notificationRuleInput.extend({ clusterSelector: selector.nullable().optional() });
const ruleUpdate = updateNotificationRuleInput.extend({
  clusterSelector: selector.nullable().optional(),
});

/** Notification rules and their delivery log (docs/NOTIFICATIONS.md). */
export const NOTIFICATION_OPERATIONS: Operation[] = [
  {
    method: 'get',
    path: '/api/v1/notifications/rules',
    summary: 'List notification rules (destination host and whether a secret is set; never either)',
    tag: 'notifications',
    auth: 'viewer',
    success: { status: 200, description: '{ items }' },
  },
  {
    method: 'post',
    path: '/api/v1/notifications/rules',
    summary:
      'Create a notification rule: events (deployment.ErrApplied, deployment.Modified, deployment.Offline, rollout.halted), an optional cluster selector, a webhook (URL + signing secret) or Slack destination, and the aggregation window',
    tag: 'notifications',
    auth: 'operator',
    body: rule,
    success: { status: 201, description: 'The rule' },
  },
  {
    method: 'get',
    path: '/api/v1/notifications/rules/{id}',
    summary: 'A notification rule',
    tag: 'notifications',
    auth: 'viewer',
    success: { status: 200, description: 'The rule' },
  },
  {
    method: 'patch',
    path: '/api/v1/notifications/rules/{id}',
    summary: 'Change a notification rule (a destination without a new secret keeps the stored one)',
    tag: 'notifications',
    auth: 'operator',
    body: ruleUpdate,
    success: { status: 200, description: 'The rule' },
  },
  {
    method: 'delete',
    path: '/api/v1/notifications/rules/{id}',
    summary: 'Delete a notification rule and its delivery log',
    tag: 'notifications',
    auth: 'operator',
    success: { status: 204, description: 'Deleted' },
  },
  {
    method: 'post',
    path: '/api/v1/notifications/rules/{id}/test',
    summary: 'Send a test message to the rule destination (signed, retried and logged like any)',
    tag: 'notifications',
    auth: 'operator',
    success: { status: 202, description: 'The delivery, pending' },
  },
  {
    method: 'get',
    path: '/api/v1/notifications/rules/{id}/deliveries',
    summary:
      'The rule delivery log, newest first: each message with every attempt (status code, error, time)',
    tag: 'notifications',
    auth: 'viewer',
    query: z.object({ limit: z.number().int().min(1).max(200).optional() }),
    success: { status: 200, description: '{ items }' },
  },
];
