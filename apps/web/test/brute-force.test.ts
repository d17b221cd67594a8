import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, json } from './access-helpers.ts';
import { startPlatform, type Platform } from './testkit.ts';

interface Attempt {
  status: number;
  retryAfter: number | null;
  detail: string;
}

interface AuditItem {
  action: string;
  ip: string | null;
  actor: { label: string };
}

/**
 * Password guessing against the real web server. The server listens on 127.0.0.1; Linux lets a
 * client connect from any 127.x address, so 127.0.0.2 plays the reverse proxy named in
 * FLOTILLA_TRUSTED_PROXIES and 127.0.0.1 a client that writes its own X-Forwarded-For.
 */
describe('password guessing', () => {
  const PROXY = '127.0.0.2';
  const DIRECT = '127.0.0.1';
  let platform: Platform;

  const attempt = (
    email: string,
    password: string,
    { from, forwardedFor }: { from: string; forwardedFor?: string },
  ): Promise<Attempt> =>
    new Promise((resolve, reject) => {
      const body = JSON.stringify({ email, password });
      const url = new URL('/api/v1/auth/login', platform.url);
      const outgoing = request(
        url,
        {
          method: 'POST',
          localAddress: from,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}),
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            const parsed = JSON.parse(Buffer.concat(chunks).toString() || '{}') as {
              detail?: string;
            };
            const retryAfter = response.headers['retry-after'];
            resolve({
              status: response.statusCode ?? 0,
              retryAfter: retryAfter === undefined ? null : Number(retryAfter),
              detail: parsed.detail ?? '',
            });
          });
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  const viaProxy = (email: string, password: string, client: string) =>
    attempt(email, password, { from: PROXY, forwardedFor: client });

  const auditOf = async (action: string) =>
    (
      await json<{ items: AuditItem[] }>(
        await platform.api(`/api/v1/audit?action=${action}&limit=100`),
      )
    ).items;

  beforeAll(async () => {
    platform = await startPlatform({
      isWorkerStarted: false,
      env: { FLOTILLA_TRUSTED_PROXIES: `${PROXY}/32` },
    });
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    const member = await addMember(platform, platform.bootstrapToken, 'viewer');
    const statuses: number[] = [];
    // A different forged address on every guess would be a fresh client each time if believed.
    for (let index = 0; index < 7; index += 1) {
      const result = await attempt(member.email, `guess-${index}`, {
        from: DIRECT,
        forwardedFor: `198.51.100.${index + 1}`,
      });
      statuses.push(result.status);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    const failures = (await auditOf('auth.login-failed')).filter(
      (item) => item.actor.label === member.email,
    );
    expect(failures).toHaveLength(5);
    expect(new Set(failures.map((item) => item.ip))).toEqual(new Set([DIRECT]));
  });

  it('believes a trusted proxy: the client is the right-most address it did not write itself', async () => {
    const member = await addMember(platform, platform.bootstrapToken, 'viewer');
    // The client wrote 198.51.100.200 itself; the proxy appended the address it saw.
    const result = await viaProxy(member.email, 'wrong', '198.51.100.200, 203.0.113.50');
    expect(result.status).toBe(401);
    const failures = (await auditOf('auth.login-failed')).filter(
      (item) => item.actor.label === member.email,
    );
    expect(failures.map((item) => item.ip)).toEqual(['203.0.113.50']);
  });

  it("lets the admin sign in from another address while an attacker's guesses are slowed", async () => {
    const attacks: Attempt[] = [];
    for (let index = 0; index < 8; index += 1) {
      attacks.push(await viaProxy(platform.adminEmail, `guess-${index}`, '203.0.113.66'));
    }
    expect(attacks.slice(0, 5).map((result) => result.status)).toEqual([401, 401, 401, 401, 401]);
    expect(attacks.slice(5).map((result) => result.status)).toEqual([429, 429, 429]);
    for (const result of attacks.slice(5)) {
      expect(result.detail).toMatch(/too many failed sign-ins; try again in \d+ seconds/);
    }

    await platform.restartWeb();
    // The attacker's failures outlive a restart (Redis): its 1 s wait is over, its next guess
    // is heard, and the one after must wait 2 s, not start afresh.
    expect((await viaProxy(platform.adminEmail, 'guess-x', '203.0.113.66')).status).toBe(401);
    const slowed = await viaProxy(platform.adminEmail, 'guess-y', '203.0.113.66');
    expect([slowed.status, slowed.retryAfter]).toEqual([429, 2]);
    // And the admin, elsewhere, is not locked out: the right password works.
    const admin = await viaProxy(platform.adminEmail, platform.adminPassword, '192.0.2.10');
    expect(admin.status).toBe(200);
    const logins = (await auditOf('auth.login')).filter(
      (item) => item.actor.label === platform.adminEmail,
    );
    expect(logins.map((item) => item.ip)).toEqual(['192.0.2.10']);
  });

  it('makes a guessing client wait longer after each failure past the free ones', async () => {
    const member = await addMember(platform, platform.bootstrapToken, 'viewer');
    const client = '203.0.113.70';
    for (let index = 0; index < 5; index += 1) {
      expect((await viaProxy(member.email, `typo-${index}`, client)).status).toBe(401);
    }
    const waits: number[] = [];
    for (let round = 0; round < 3; round += 1) {
      const limited = await viaProxy(member.email, 'typo', client);
      expect(limited.status).toBe(429);
      waits.push(limited.retryAfter!);
      // The wait doubles; checked before sleeping so a lock-out fails here, not by timeout.
      expect(limited.retryAfter).toBe(2 ** round);
      // Waiting what Retry-After says is enough: the next guess is heard (and fails).
      await sleep(limited.retryAfter! * 1000 + 100);
      expect((await viaProxy(member.email, 'typo', client)).status).toBe(401);
    }
    expect(waits).toEqual([1, 2, 4]);
  });

  it('slows one client trying many accounts after 20 failures, not the next client', async () => {
    for (let index = 0; index < 20; index += 1) {
      expect((await viaProxy(`nobody${index}@example.com`, 'wrong', '203.0.113.20')).status).toBe(
        401,
      );
    }
    const limited = await viaProxy('nobody-else@example.com', 'wrong', '203.0.113.20');
    expect(limited.status).toBe(429);
    expect(limited.retryAfter).toBeGreaterThan(0);
    expect((await viaProxy('nobody-else@example.com', 'wrong', '203.0.113.21')).status).toBe(401);
  });

  it("forgets a client's failures when the owner signs in from it", async () => {
    const member = await addMember(platform, platform.bootstrapToken, 'viewer');
    const client = '203.0.113.30';
    for (let index = 0; index < 4; index += 1)
      expect((await viaProxy(member.email, 'typo', client)).status).toBe(401);
    expect((await viaProxy(member.email, member.password, client)).status).toBe(200);
    // Without the reset, the 2nd of these would be the 6th failure and have to wait.
    const next = [];
    for (let index = 0; index < 4; index += 1)
      next.push((await viaProxy(member.email, 'typo', client)).status);
    expect(next).toEqual([401, 401, 401, 401]);
  });
});
