import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, json } from './access-helpers.ts';
import { startPlatform, type Platform } from './testkit.ts';

interface Attempt {
  status: number;
  retryAfter: number | null;
  detail: string;
}

describe('password guessing', () => {
  let platform: Platform;

  const attempt = async (email: string, password: string, ip: string): Promise<Attempt> => {
    const response = await fetch(`${platform.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
      body: JSON.stringify({ email, password }),
    });
    const body = (await response.json()) as { detail?: string };
    const retryAfter = response.headers.get('retry-after');
    return {
      status: response.status,
      retryAfter: retryAfter === null ? null : Number(retryAfter),
      detail: body.detail ?? '',
    };
  };

  beforeAll(async () => {
    platform = await startPlatform({ isWorkerStarted: false });
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it('slows 20 wrong passwords for one account to 429 with Retry-After, still after a restart', async () => {
    const attempts: Attempt[] = [];
    for (let index = 0; index < 20; index += 1) {
      attempts.push(await attempt(platform.adminEmail, `guess-${index}`, '203.0.113.10'));
    }
    expect(attempts.slice(0, 5).map((result) => result.status)).toEqual([401, 401, 401, 401, 401]);
    const limited = attempts.slice(5);
    expect(limited.every((result) => result.status === 429)).toBe(true);
    for (const result of limited) {
      expect(result.retryAfter).toBeGreaterThan(0);
      expect(result.retryAfter).toBeLessThanOrEqual(15 * 60);
      expect(result.detail).toMatch(/too many failed sign-ins; try again in \d+ seconds/);
    }

    await platform.restartWeb();
    // Even the right password, from another address: the account waits out its window.
    const afterRestart = await attempt(platform.adminEmail, platform.adminPassword, '203.0.113.11');
    expect(afterRestart.status).toBe(429);
    expect(afterRestart.retryAfter).toBeGreaterThan(0);

    const audit = await json<{ items: { action: string }[] }>(
      await platform.api('/api/v1/audit?action=auth.login-failed&limit=100'),
    );
    expect(audit.items).toHaveLength(5);
  });

  it('slows one client trying many accounts after 20 failures, not the next client', async () => {
    for (let index = 0; index < 20; index += 1) {
      expect((await attempt(`nobody${index}@example.com`, 'wrong', '203.0.113.20')).status).toBe(
        401,
      );
    }
    const limited = await attempt('nobody-else@example.com', 'wrong', '203.0.113.20');
    expect(limited.status).toBe(429);
    expect(limited.retryAfter).toBeGreaterThan(0);
    expect((await attempt('nobody-else@example.com', 'wrong', '203.0.113.21')).status).toBe(401);
  });

  it("forgets an account's failures when its owner signs in", async () => {
    const member = await addMember(platform, platform.bootstrapToken, 'viewer');
    const ip = '203.0.113.30';
    for (let index = 0; index < 4; index += 1)
      expect((await attempt(member.email, 'typo', ip)).status).toBe(401);
    expect((await attempt(member.email, member.password, ip)).status).toBe(200);
    // Without the reset, the 2nd of these would be the 6th failure in the window.
    const next = [];
    for (let index = 0; index < 4; index += 1)
      next.push((await attempt(member.email, 'typo', ip)).status);
    expect(next).toEqual([401, 401, 401, 401]);
  });
});
