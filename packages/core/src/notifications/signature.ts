import { createHmac, timingSafeEqual } from 'node:crypto';

/** The headers Flotilla signs a webhook with (docs/NOTIFICATIONS.md says how to verify). */
export const SIGNATURE_HEADER = 'X-Flotilla-Signature-256';
export const TIMESTAMP_HEADER = 'X-Flotilla-Timestamp';
export const DELIVERY_HEADER = 'X-Flotilla-Delivery';
export const EVENT_HEADER = 'X-Flotilla-Event';

/**
 * `sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`. The timestamp (Unix seconds, also sent in
 * X-Flotilla-Timestamp) is inside the signed text, so a captured request cannot be replayed
 * later with a fresh timestamp; the receiver refuses old ones.
 */
export function signNotification(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Constant-time check of a signature header, for receivers written in TypeScript (and tests). */
export function verifyNotificationSignature(
  secret: string,
  timestamp: number,
  body: string,
  header: string,
): boolean {
  const expected = Buffer.from(signNotification(secret, timestamp, body));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
