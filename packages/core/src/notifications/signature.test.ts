import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signNotification, verifyNotificationSignature } from './signature.ts';

describe('notification signatures', () => {
  const secret = 'a-signing-secret-of-32-characters';
  const body = '{"type":"flotilla.notification"}';

  it('is sha256= and the hex HMAC-SHA256 of "<timestamp>.<body>", as docs/NOTIFICATIONS.md says', () => {
    const expected = createHmac('sha256', secret).update(`1765062000.${body}`).digest('hex');
    expect(signNotification(secret, 1765062000, body)).toBe(`sha256=${expected}`);
  });

  it.each([
    ['the same secret, timestamp and body', secret, 1765062000, body, true],
    ['another secret', 'another-secret-of-32-characters!!', 1765062000, body, false],
    ['another timestamp (a replay with a fresh one)', secret, 1765062001, body, false],
    ['a changed body', secret, 1765062000, `${body} `, false],
  ])('verifies with %s: %s', (_, key, timestamp, text, isValid) => {
    const header = signNotification(secret, 1765062000, body);
    expect(verifyNotificationSignature(key, timestamp, text, header)).toBe(isValid);
  });

  it('refuses a header of another length without throwing', () => {
    expect(verifyNotificationSignature(secret, 1, body, 'sha256=abc')).toBe(false);
  });
});
