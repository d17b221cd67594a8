import { AppError, LOGIN_LIMITS, releaseLoginAttempt, reserveLoginAttempt } from '@flotilla/core';
import { createTestRedis, type TestRedis } from './testkit.ts';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

/** The login attempt counters against a real Redis: what the login route relies on. */
describe('login attempt counters in Redis', () => {
  let testRedis: TestRedis;
  let redis: Redis;

  beforeAll(async () => {
    testRedis = await createTestRedis();
    redis = new Redis(testRedis.url, { maxRetriesPerRequest: 1 });
  });
  beforeEach(async () => {
    await redis.flushdb();
  });
  afterAll(async () => {
    await redis?.quit();
    await testRedis?.cleanup();
  });

  const attempt = (email: string, ip: string | undefined) =>
    reserveLoginAttempt({ redis, email, ip }).then(
      () => 'allowed' as const,
      (error: unknown) => {
        if (error instanceof AppError && error.code === 'RateLimited') return error;
        throw error;
      },
    );

  it('allows 5 attempts per account, then refuses with the seconds left in the window', async () => {
    for (let index = 0; index < LOGIN_LIMITS.account.limit; index += 1) {
      expect(await attempt('alice@example.com', '10.1.0.1')).toBe('allowed');
    }
    const refused = await attempt('Alice@Example.com', '10.1.0.2');
    expect(refused).toBeInstanceOf(AppError);
    const retryAfter = (refused as AppError).details.retryAfterSeconds!;
    expect(retryAfter).toBeGreaterThan(LOGIN_LIMITS.account.windowSeconds - 5);
    expect(retryAfter).toBeLessThanOrEqual(LOGIN_LIMITS.account.windowSeconds);
    expect(await attempt('bob@example.com', '10.1.0.2')).toBe('allowed');
  });

  it('lets through exactly the limit when guesses arrive all at once', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 30 }, () => attempt('carol@example.com', undefined)),
    );
    expect(outcomes.filter((outcome) => outcome === 'allowed')).toHaveLength(
      LOGIN_LIMITS.account.limit,
    );
  });

  it('refuses a client after 20 attempts, whichever accounts it tries', async () => {
    for (let index = 0; index < LOGIN_LIMITS.client.limit; index += 1) {
      expect(await attempt(`user${index}@example.com`, '10.2.0.1')).toBe('allowed');
    }
    expect(await attempt('someone-else@example.com', '10.2.0.1')).toBeInstanceOf(AppError);
    expect(await attempt('someone-else@example.com', '10.2.0.2')).toBe('allowed');
  });

  it('does not extend the wait while refused attempts keep coming', async () => {
    await redis.set(
      `flotilla:login-attempts:client:10.3.0.1`,
      String(LOGIN_LIMITS.client.limit),
      'EX',
      42,
    );
    const refused = await attempt('dave@example.com', '10.3.0.1');
    expect((refused as AppError).details.retryAfterSeconds).toBeLessThanOrEqual(42);
    expect(await redis.ttl('flotilla:login-attempts:client:10.3.0.1')).toBeLessThanOrEqual(42);
  });

  it('starts the account afresh after a success and gives the client its attempt back', async () => {
    const counters = await reserveLoginAttempt({
      redis,
      email: 'erin@example.com',
      ip: '10.4.0.1',
    });
    for (let index = 0; index < 3; index += 1) await attempt('erin@example.com', '10.4.0.1');
    await releaseLoginAttempt({ redis, counters });
    for (let index = 0; index < LOGIN_LIMITS.account.limit; index += 1) {
      expect(await attempt('erin@example.com', '10.4.0.1')).toBe('allowed');
    }
    expect(Number(await redis.get('flotilla:login-attempts:client:10.4.0.1'))).toBe(
      3 + LOGIN_LIMITS.account.limit,
    );
  });

  it('leaves no counter without an expiry when the window ended before the release', async () => {
    const counters = await reserveLoginAttempt({
      redis,
      email: 'frank@example.com',
      ip: '10.5.0.1',
    });
    await redis.del('flotilla:login-attempts:client:10.5.0.1');
    await releaseLoginAttempt({ redis, counters });
    expect(await redis.exists('flotilla:login-attempts:client:10.5.0.1')).toBe(0);
  });
});
