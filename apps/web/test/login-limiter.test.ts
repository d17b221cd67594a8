import { AppError, LOGIN_LIMITS, releaseLoginAttempt, reserveLoginAttempt } from '@flotilla/core';
import { createTestRedis, type TestRedis } from './testkit.ts';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

/**
 * The sign-in attempt counters against a real Redis, on a clock the test moves (the limiter
 * takes `now` from its caller), so the growing waits are checked exactly without sleeping.
 */
describe('sign-in attempt limits in Redis', () => {
  let testRedis: TestRedis;
  let redis: Redis;
  let clock: number;

  beforeAll(async () => {
    testRedis = await createTestRedis();
    redis = new Redis(testRedis.url, { maxRetriesPerRequest: 1 });
  });
  beforeEach(async () => {
    await redis.flushdb();
    clock = Date.parse('2026-01-01T00:00:00Z');
  });
  afterAll(async () => {
    await redis?.quit();
    await testRedis?.cleanup();
  });

  const attempt = (email: string, client: string | undefined) =>
    reserveLoginAttempt({ redis, email, client, now: new Date(clock) }).then(
      () => 'allowed' as const,
      (error: unknown) => {
        if (error instanceof AppError && error.code === 'RateLimited')
          return error.details.retryAfterSeconds!;
        throw error;
      },
    );
  /** `times` failed attempts, each after waiting out the wait the previous one earned. */
  const fail = async (email: string, client: string, times: number) => {
    for (let index = 0; index < times; index += 1) {
      const outcome = await attempt(email, client);
      if (outcome !== 'allowed') clock += outcome * 1000;
      if (outcome !== 'allowed') expect(await attempt(email, client)).toBe('allowed');
    }
  };

  it('gives a client 5 free failures, then doubles its wait after each further one', async () => {
    const { freeFailures } = LOGIN_LIMITS.pair;
    await fail('alice@example.com', '10.1.0.1', freeFailures);
    const waits: number[] = [];
    for (let round = 0; round < 6; round += 1) {
      const wait = await attempt('Alice@Example.com', '10.1.0.1');
      expect(wait).not.toBe('allowed');
      waits.push(wait as number);
      clock += (wait as number) * 1000 - 1;
      expect(await attempt('alice@example.com', '10.1.0.1')).toBe(1);
      clock += 1;
      expect(await attempt('alice@example.com', '10.1.0.1')).toBe('allowed');
    }
    expect(waits).toEqual([1, 2, 4, 8, 16, 32]);
  });

  it('caps the wait at 15 minutes', async () => {
    await fail('cap@example.com', '10.1.0.9', LOGIN_LIMITS.pair.freeFailures);
    for (let round = 0; round < 14; round += 1) {
      clock += LOGIN_LIMITS.pair.maxDelaySeconds * 1000;
      expect(await attempt('cap@example.com', '10.1.0.9')).toBe('allowed');
    }
    expect(await attempt('cap@example.com', '10.1.0.9')).toBe(LOGIN_LIMITS.pair.maxDelaySeconds);
  });

  it("does not slow another client of the same account: the attacker's failures are its own", async () => {
    await fail('admin@example.com', '203.0.113.66', 12);
    expect(await attempt('admin@example.com', '203.0.113.66')).toBeGreaterThan(1);
    expect(await attempt('admin@example.com', '192.0.2.10')).toBe('allowed');
  });

  it('lets through exactly the free failures when guesses arrive all at once', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 30 }, () => attempt('carol@example.com', '10.1.0.3')),
    );
    expect(outcomes.filter((outcome) => outcome === 'allowed')).toHaveLength(
      LOGIN_LIMITS.pair.freeFailures,
    );
  });

  it('does not extend the wait while refused attempts keep coming', async () => {
    await fail('dave@example.com', '10.3.0.1', LOGIN_LIMITS.pair.freeFailures + 3);
    const first = (await attempt('dave@example.com', '10.3.0.1')) as number;
    for (let index = 0; index < 20; index += 1) await attempt('dave@example.com', '10.3.0.1');
    expect(await attempt('dave@example.com', '10.3.0.1')).toBe(first);
    clock += first * 1000;
    expect(await attempt('dave@example.com', '10.3.0.1')).toBe('allowed');
  });

  it('refuses one client after 20 attempts across accounts, not the next client', async () => {
    for (let index = 0; index < LOGIN_LIMITS.client.limit; index += 1) {
      expect(await attempt(`user${index}@example.com`, '10.2.0.1')).toBe('allowed');
    }
    expect(await attempt('someone-else@example.com', '10.2.0.1')).toBeGreaterThan(0);
    expect(await attempt('someone-else@example.com', '10.2.0.2')).toBe('allowed');
  });

  it('over the account ceiling, a fresh client still gets its first attempt, then waits', async () => {
    const { ceiling } = LOGIN_LIMITS.account;
    for (let index = 0; index < ceiling; index += 1) {
      expect(await attempt('target@example.com', `198.51.100.${index}`)).toBe('allowed');
    }
    expect(await attempt('target@example.com', '192.0.2.77')).toBe('allowed');
    expect(await attempt('target@example.com', '192.0.2.77')).toBe(1);
    expect(await attempt('target@example.com', '192.0.2.78')).toBe('allowed');
  });

  it('forgets a client’s failures for the account when it signs in', async () => {
    await fail('erin@example.com', '10.4.0.1', 4);
    const success = await reserveLoginAttempt({
      redis,
      email: 'erin@example.com',
      client: '10.4.0.1',
      now: new Date(clock),
    });
    await releaseLoginAttempt({ redis, attempt: success });
    await fail('erin@example.com', '10.4.0.1', LOGIN_LIMITS.pair.freeFailures);
    expect(Number(await redis.get(success.clientKey!))).toBe(4 + LOGIN_LIMITS.pair.freeFailures);
  });

  it('leaves no counter without an expiry when its window ended before the release', async () => {
    const success = await reserveLoginAttempt({
      redis,
      email: 'frank@example.com',
      client: '10.5.0.1',
      now: new Date(clock),
    });
    await redis.del(success.clientKey!);
    await releaseLoginAttempt({ redis, attempt: success });
    expect(await redis.exists(success.clientKey!)).toBe(0);
    expect(await redis.pttl(success.accountKey)).toBeGreaterThan(0);
  });
});
