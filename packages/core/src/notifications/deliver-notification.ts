import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { forWorkspace } from '@flotilla/db';
import { createGuardedLookup, currentAddressPolicy } from '@flotilla/net';
import type { CoreContext } from '../context.ts';
import { asJson } from '../json.ts';
import { openDestination, storedAttempts, type DeliveryAttempt } from './notification-rule-dto.ts';
import { checkDestinationUrl } from './schemas.ts';
import {
  DELIVERY_HEADER,
  EVENT_HEADER,
  SIGNATURE_HEADER,
  signNotification,
  TIMESTAMP_HEADER,
} from './signature.ts';

const TIMEOUT_MS = 10_000;

/** What the job does next: done, retry later (5xx, 429, network), or give up (other 4xx). */
export type DeliveryOutcome =
  | { kind: 'delivered'; statusCode: number }
  | { kind: 'retry'; reason: string }
  | { kind: 'final'; reason: string }
  | { kind: 'gone' };

interface SendResult {
  statusCode: number | null;
  error: string | null;
}

/** POSTs the body; the answer's status, or a network error worded without the URL. */
function post(url: string, body: string, headers: Record<string, string>): Promise<SendResult> {
  const parsed = new URL(url);
  const send = parsed.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const req = send(parsed, {
      method: 'POST',
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      lookup: createGuardedLookup(currentAddressPolicy()),
      timeout: TIMEOUT_MS,
    });
    req.on('response', (response) => {
      // The answer's body is not needed: read and drop it so the socket is freed.
      response.resume();
      resolve({ statusCode: response.statusCode ?? 0, error: null });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)));
    req.on('error', (error: NodeJS.ErrnoException) => {
      // Node's messages name the address at most ("connect ECONNREFUSED 127.0.0.1:9"), never
      // the path, which is where a Slack URL keeps its secret; strip the URL anyway.
      resolve({ statusCode: null, error: (error.code ?? error.message).replaceAll(url, '(url)') });
    });
    req.end(body);
  });
}

/**
 * One attempt at a delivery: signs the stored body (webhooks), sends it, appends the attempt
 * (status code, error, time; never the URL or the secret) to the delivery log, and says what
 * the job should do next. `isLastAttempt` turns a retryable failure into the final "failed".
 */
export async function deliverNotification({
  ctx,
  deliveryId,
  attempt,
  isLastAttempt,
}: {
  ctx: Pick<CoreContext, 'db' | 'secrets' | 'now'>;
  deliveryId: string;
  attempt: number;
  isLastAttempt: boolean;
}): Promise<DeliveryOutcome> {
  const delivery = await ctx.db.notificationDelivery.findUnique({
    where: { id: deliveryId },
    include: { rule: true },
  });
  if (
    !delivery ||
    delivery.status !== 'pending' ||
    delivery.rule.workspaceId !== delivery.workspaceId
  )
    return { kind: 'gone' };
  const { rule } = delivery;
  const destination = openDestination(ctx.secrets, rule);
  const body = JSON.stringify(delivery.payload);
  const started = ctx.now();
  // Durations by the monotonic clock: ctx.now() may be shifted (tests move the worker's clock).
  const startedMs = performance.now();
  const timestamp = Math.floor(started.getTime() / 1000);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'Flotilla-Notifications',
  };
  if (rule.destinationKind === 'webhook') {
    headers[DELIVERY_HEADER] = delivery.id;
    headers[EVENT_HEADER] = delivery.kind === 'test' ? 'test' : 'events';
    headers[TIMESTAMP_HEADER] = String(timestamp);
    if (destination.secret)
      headers[SIGNATURE_HEADER] = signNotification(destination.secret, timestamp, body);
  }
  // The address policy may have changed since the rule was saved: check again per attempt.
  const refusal = checkDestinationUrl(rule.destinationKind, destination.url);
  const result: SendResult = refusal
    ? { statusCode: null, error: `refused: ${refusal.message}` }
    : await post(destination.url, body, headers);
  const outcome = classify(result);
  const entry: DeliveryAttempt = {
    attempt,
    at: started.toISOString(),
    statusCode: result.statusCode,
    error: result.error ?? (outcome.kind === 'delivered' ? null : `HTTP ${result.statusCode}`),
    durationMs: Math.round(performance.now() - startedMs),
  };
  const status =
    outcome.kind === 'delivered'
      ? 'delivered'
      : outcome.kind === 'final' || (outcome.kind === 'retry' && isLastAttempt)
        ? 'failed'
        : 'pending';
  await forWorkspace(ctx.db, delivery.workspaceId).notificationDelivery.update({
    where: { id: delivery.id },
    data: {
      attempts: asJson([...storedAttempts(delivery.attempts), entry]),
      status,
      ...(outcome.kind === 'delivered' ? { deliveredAt: ctx.now() } : {}),
    },
  });
  return refusal ? { kind: 'final', reason: entry.error ?? 'refused' } : outcome;
}

function classify({ statusCode, error }: SendResult): DeliveryOutcome {
  if (statusCode === null) return { kind: 'retry', reason: error ?? 'network error' };
  if (statusCode >= 200 && statusCode < 300) return { kind: 'delivered', statusCode };
  if (statusCode === 429 || statusCode >= 500)
    return { kind: 'retry', reason: `HTTP ${statusCode}` };
  return { kind: 'final', reason: `HTTP ${statusCode}` };
}
