import { assertOutboundUrl, currentAddressPolicy, hostOf, UnsafeUrlError } from '@flotilla/net';
import type { LabelSelector } from '@flotilla/engine';
import { z } from 'zod';
import { displayName } from '../clusters/schemas.ts';
import { parseSelectorInput } from '../clusters/list-clusters.ts';
import { AppError, toFieldErrors, type FieldError } from '../errors.ts';

/** The events a rule can watch: a deployment entering one of three states, or a rollout halt. */
export const NOTIFICATION_EVENTS = [
  'deployment.ErrApplied',
  'deployment.Modified',
  'deployment.Offline',
  'rollout.halted',
] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];

const ruleFields = z
  .object({
    name: displayName,
    events: z
      .array(
        z.enum(NOTIFICATION_EVENTS, { error: `must be one of ${NOTIFICATION_EVENTS.join(', ')}` }),
      )
      .min(1, 'a rule needs at least one event')
      .max(NOTIFICATION_EVENTS.length),
    /** Kubernetes label selector (object or string form); null or absent: every cluster. */
    clusterSelector: z
      .union([z.string(), z.record(z.string(), z.unknown())])
      .nullable()
      .optional(),
    destination: z
      .object({
        kind: z.enum(['webhook', 'slack'], { error: 'must be "webhook" or "slack"' }),
        url: z.string().trim().min(1, 'is required').max(2048),
        /** HMAC-SHA256 key of a webhook; write-only. */
        secret: z.string().min(16, 'must be at least 16 characters').max(256).optional(),
      })
      .strict(),
    windowSeconds: z.number().int().min(1).max(600).default(10),
    isEnabled: z.boolean().default(true),
  })
  .strict();

export const notificationRuleInput = ruleFields;
export const updateNotificationRuleInput = ruleFields
  .extend({
    // On update the destination may keep its stored URL and secret: give only what changes.
    destination: z
      .object({
        kind: z.enum(['webhook', 'slack'], { error: 'must be "webhook" or "slack"' }).optional(),
        url: z.string().trim().min(1, 'is required').max(2048).optional(),
        secret: z.string().min(16, 'must be at least 16 characters').max(256).optional(),
      })
      .strict(),
  })
  .partial();

/** What is sealed on the rule row (the row id as AAD). */
export interface SealedDestination {
  url: string;
  secret: string | null;
}

export interface NotificationRuleData {
  name: string;
  events: NotificationEvent[];
  clusterSelector: LabelSelector | null;
  destinationKind: 'webhook' | 'slack';
  destination: SealedDestination;
  windowSeconds: number;
  isEnabled: boolean;
}

/**
 * A destination URL: https, or plain http to a loopback address only (a receiver on the same
 * machine), through the outbound address policy (packages/net) like API servers and Git; a
 * Slack destination must be a Slack incoming webhook URL.
 */
export function checkDestinationUrl(kind: 'webhook' | 'slack', url: string): FieldError | null {
  const policy = currentAddressPolicy();
  let parsed: URL;
  try {
    parsed = assertOutboundUrl(url, {
      what: 'the destination',
      schemes: ['https', 'http'],
      policy,
    });
  } catch (error) {
    if (error instanceof UnsafeUrlError) return { path: 'destination.url', message: error.message };
    throw error;
  }
  if (parsed.protocol === 'http:' && !policy.isLoopback(hostOf(parsed)))
    return {
      path: 'destination.url',
      message: 'must use https (http:// is allowed only to a loopback address)',
    };
  if (
    kind === 'slack' &&
    parsed.protocol === 'https:' &&
    !(parsed.hostname === 'hooks.slack.com' && parsed.pathname.startsWith('/services/'))
  )
    return {
      path: 'destination.url',
      message: 'must be a Slack incoming webhook URL (https://hooks.slack.com/services/...)',
    };
  return null;
}

/** Scheme and host of a URL: all the dashboard shows of a destination. */
export function destinationHint(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '(invalid URL)';
  }
}

function checkRule(data: {
  name: string;
  events: NotificationEvent[];
  clusterSelector?: string | Record<string, unknown> | null | undefined;
  destination: { kind: 'webhook' | 'slack'; url: string; secret?: string | null | undefined };
  windowSeconds: number;
  isEnabled: boolean;
}): NotificationRuleData {
  const errors: FieldError[] = [];
  let clusterSelector: LabelSelector | null = null;
  if (data.clusterSelector != null && data.clusterSelector !== '') {
    try {
      clusterSelector = parseSelectorInput(data.clusterSelector, 'clusterSelector');
    } catch (error) {
      if (!(error instanceof AppError) || !error.details.errors) throw error;
      errors.push(...error.details.errors);
    }
  }
  const urlProblem = checkDestinationUrl(data.destination.kind, data.destination.url);
  if (urlProblem) errors.push(urlProblem);
  if (data.destination.kind === 'webhook' && !data.destination.secret)
    errors.push({
      path: 'destination.secret',
      message: 'a webhook needs a signing secret (at least 16 characters)',
    });
  if (errors.length > 0) throw AppError.validation(errors);
  return {
    name: data.name,
    events: [...new Set(data.events)],
    clusterSelector,
    destinationKind: data.destination.kind,
    destination: {
      url: data.destination.url,
      secret: data.destination.kind === 'webhook' ? (data.destination.secret ?? null) : null,
    },
    windowSeconds: data.windowSeconds,
    isEnabled: data.isEnabled,
  };
}

/** Validates a new rule; every error names its field (`destination.url`, `clusterSelector`). */
export function parseNotificationRuleInput(input: unknown): NotificationRuleData {
  const parsed = notificationRuleInput.safeParse(input);
  if (!parsed.success) throw AppError.validation(toFieldErrors(parsed.error.issues));
  return checkRule(parsed.data);
}

/**
 * A partial update over the stored rule, checked as a whole. A destination whose kind or URL
 * changes without a new secret keeps the stored secret only when it stays a webhook.
 */
export function parseNotificationRuleUpdate(
  input: unknown,
  stored: NotificationRuleData,
): NotificationRuleData {
  const parsed = updateNotificationRuleInput.safeParse(input);
  if (!parsed.success) throw AppError.validation(toFieldErrors(parsed.error.issues));
  const changes = parsed.data;
  return checkRule({
    name: changes.name ?? stored.name,
    events: changes.events ?? stored.events,
    clusterSelector:
      changes.clusterSelector === undefined
        ? (stored.clusterSelector as Record<string, unknown> | null)
        : changes.clusterSelector,
    destination: {
      kind: changes.destination?.kind ?? stored.destinationKind,
      url: changes.destination?.url ?? stored.destination.url,
      secret: changes.destination?.secret ?? stored.destination.secret,
    },
    windowSeconds: changes.windowSeconds ?? stored.windowSeconds,
    isEnabled: changes.isEnabled ?? stored.isEnabled,
  });
}
