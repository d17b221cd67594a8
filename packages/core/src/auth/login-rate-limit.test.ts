import { describe, expect, it } from 'vitest';
import {
  LOGIN_LIMITS,
  loginCounters,
  loginVerdict,
  type CounterReading,
} from './login-rate-limit.ts';

const account = (count: number, ttlSeconds = 600): CounterReading => ({
  count,
  ttlSeconds,
  ...LOGIN_LIMITS.account,
});
const client = (count: number, ttlSeconds = 300): CounterReading => ({
  count,
  ttlSeconds,
  ...LOGIN_LIMITS.client,
});

describe('login limits', () => {
  it.each([
    ['the first attempt', [account(1), client(1)], null],
    ['the 5th attempt on an account', [account(5), client(5)], null],
    ['the 6th attempt on an account', [account(6, 600), client(6)], 600],
    ['the 21st attempt from a client on fresh accounts', [account(1), client(21, 300)], 300],
    ['both over: the later window decides', [account(9, 120), client(30, 700)], 700],
    ['a window Redis reports without expiry', [account(6, -1)], LOGIN_LIMITS.account.windowSeconds],
    [
      'a window about to end still asks for a second',
      [account(6, 0)],
      LOGIN_LIMITS.account.windowSeconds,
    ],
  ])('%s', (_case, readings, retryAfter) => {
    const verdict = loginVerdict(readings);
    if (retryAfter === null) expect(verdict).toEqual({ isLimited: false });
    else expect(verdict).toEqual({ isLimited: true, retryAfterSeconds: retryAfter });
  });

  it('counts one account however its email is typed, and the client only when known', () => {
    const [upper] = loginCounters('  Admin@Example.COM ', '10.0.0.1');
    const [lower] = loginCounters('admin@example.com', undefined);
    expect(upper!.key).toBe(lower!.key);
    expect(upper!.key).not.toContain('admin@example.com');
    expect(loginCounters('admin@example.com', '10.0.0.1').map((counter) => counter.scope)).toEqual([
      'account',
      'client',
    ]);
    expect(loginCounters('admin@example.com', undefined).map((counter) => counter.scope)).toEqual([
      'account',
    ]);
  });
});
