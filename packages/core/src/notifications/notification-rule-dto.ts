import type { NotificationDelivery, NotificationRule } from '@flotilla/db';
import { parseLabelSelector, type LabelSelector } from '@flotilla/engine';
import { z } from 'zod';
import type { SecretBox } from '../secrets/secret-box.ts';
import {
  NOTIFICATION_EVENTS,
  type NotificationEvent,
  type NotificationRuleData,
} from './schemas.ts';

/** A rule as the API shows it: the destination's host, whether a secret is set; never either. */
export interface NotificationRuleDto {
  id: string;
  name: string;
  events: NotificationEvent[];
  clusterSelector: LabelSelector | null;
  destination: { kind: 'webhook' | 'slack'; urlHint: string; hasSecret: boolean };
  windowSeconds: number;
  isEnabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export function storedEvents(events: readonly string[]): NotificationEvent[] {
  return events.filter((event): event is NotificationEvent =>
    (NOTIFICATION_EVENTS as readonly string[]).includes(event),
  );
}

/** A stored selector; one that no longer parses matches no cluster rather than every one. */
export function storedSelector(value: unknown): LabelSelector | null {
  if (value === null || value === undefined) return null;
  try {
    return parseLabelSelector(value);
  } catch {
    return { matchExpressions: [{ key: 'flotilla.io/invalid-selector', operator: 'Exists' }] };
  }
}

export function toNotificationRuleDto(row: NotificationRule): NotificationRuleDto {
  return {
    id: row.id,
    name: row.name,
    events: storedEvents(row.events),
    clusterSelector: storedSelector(row.clusterSelector),
    destination: {
      kind: row.destinationKind,
      urlHint: row.destinationHint,
      hasSecret: row.hasSigningSecret,
    },
    windowSeconds: row.windowSeconds,
    isEnabled: row.isEnabled,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const sealedDestination = z.object({ url: z.string(), secret: z.string().nullable() });

/** Opens the sealed { url, secret } of a rule (only the worker and the rule's own update). */
export function openDestination(
  secrets: SecretBox,
  row: Pick<NotificationRule, 'id' | 'destination'>,
) {
  return sealedDestination.parse(secrets.open(row.destination, row.id));
}

/** The rule as the update parser merges over it. */
export function ruleDataOf(secrets: SecretBox, row: NotificationRule): NotificationRuleData {
  return {
    name: row.name,
    events: storedEvents(row.events),
    clusterSelector: storedSelector(row.clusterSelector),
    destinationKind: row.destinationKind,
    destination: openDestination(secrets, row),
    windowSeconds: row.windowSeconds,
    isEnabled: row.isEnabled,
  };
}

/** One attempt in the delivery log: never the URL, never the secret. */
export const deliveryAttempt = z.object({
  attempt: z.number().int(),
  at: z.string(),
  statusCode: z.number().int().nullable(),
  error: z.string().nullable(),
  durationMs: z.number().int(),
});
export type DeliveryAttempt = z.infer<typeof deliveryAttempt>;

/** The stored attempts; a malformed entry is left out. */
export function storedAttempts(value: unknown): DeliveryAttempt[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry) => {
    const parsed = deliveryAttempt.safeParse(entry);
    return parsed.success ? [parsed.data] : [];
  });
}

export interface NotificationDeliveryDto {
  id: string;
  ruleId: string;
  kind: 'events' | 'test';
  summary: string;
  eventCount: number;
  status: 'pending' | 'delivered' | 'failed';
  createdAt: string;
  deliveredAt: string | null;
  attempts: DeliveryAttempt[];
}

export function toNotificationDeliveryDto(row: NotificationDelivery): NotificationDeliveryDto {
  return {
    id: row.id,
    ruleId: row.ruleId,
    kind: row.kind === 'test' ? 'test' : 'events',
    summary: row.summary,
    eventCount: row.eventCount,
    status: row.status === 'delivered' || row.status === 'failed' ? row.status : 'pending',
    createdAt: row.createdAt.toISOString(),
    deliveredAt: row.deliveredAt?.toISOString() ?? null,
    attempts: storedAttempts(row.attempts),
  };
}
