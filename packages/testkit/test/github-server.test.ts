import { generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGithubServer, type GithubServer } from '../src/index.ts';

const SHA = 'f'.repeat(40);

describe('startGithubServer: the local GitHub', () => {
  let github: GithubServer;
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

  beforeAll(async () => {
    github = await startGithubServer();
    github.addToken('ghp_kit');
    github.addApp({
      appId: 77,
      publicKey,
      installations: [{ id: 5, owner: 'acme' }],
      tokenLifetimeSeconds: 1,
    });
  });

  afterAll(async () => {
    await github.close();
  });

  const call = (path: string, init: RequestInit & { credential?: string } = {}) =>
    fetch(`${github.url}${path}`, {
      ...init,
      headers: {
        authorization: `token ${init.credential ?? 'ghp_kit'}`,
        'content-type': 'application/json',
      },
    });
  const jwt = (claims: { iat: number; exp: number; iss?: string }) =>
    new SignJWT({})
      .setProtectedHeader({ alg: 'RS256' })
      .setIssuedAt(claims.iat)
      .setExpirationTime(claims.exp)
      .setIssuer(claims.iss ?? '77')
      .sign(privateKey);

  it('matches a branch name with slashes as one ref (x-multi-segment), and a static segment before a parameter', async () => {
    await call('/repos/acme/fleet/statuses/' + SHA, {
      method: 'POST',
      body: JSON.stringify({ state: 'success', context: 'ci' }),
    });
    const combined = await call('/repos/acme/fleet/commits/feature/x/status');
    expect(combined.status).toBe(200);
    expect(github.requests().at(-1)).toMatchObject({
      operationId: 'repos/get-combined-status-for-ref',
      params: { owner: 'acme', repo: 'fleet', ref: 'feature/x' },
    });
    const list = await call(`/repos/acme/fleet/commits/${SHA}/statuses?per_page=5`);
    expect(await list.json()).toMatchObject([{ state: 'success', context: 'ci' }]);
    expect(github.requests().at(-1)?.operationId).toBe('repos/list-commit-statuses-for-ref');
  });

  it('checks query types: per_page must be an integer', async () => {
    const response = await call(`/repos/acme/fleet/commits/${SHA}/statuses?per_page=many`);
    expect(response.status).toBe(422);
    expect(((await response.json()) as { message: string }).message).toContain('query/per_page');
  });

  it('refuses App JWTs that live longer than 10 minutes, or come from an unknown app', async () => {
    const now = Math.floor(Date.now() / 1000);
    const tooLong = await fetch(`${github.url}/app/installations/5/access_tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await jwt({ iat: now - 30, exp: now + 900 })}` },
    });
    expect(tooLong.status).toBe(401);
    const stranger = await fetch(`${github.url}/app/installations/5/access_tokens`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await jwt({ iat: now - 30, exp: now + 500, iss: '78' })}`,
      },
    });
    expect(stranger.status).toBe(401);
    const good = await fetch(`${github.url}/app/installations/5/access_tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await jwt({ iat: now - 30, exp: now + 500 })}` },
    });
    expect(good.status).toBe(201);
    const { token, expires_at } = (await good.json()) as { token: string; expires_at: string };
    expect(github.isValidToken(token)).toBe(true);
    // An installation token works for its owner only, and not after expires_at.
    const elsewhere = await call(`/repos/other/fleet/commits/${SHA}/status`, { credential: token });
    expect(elsewhere.status).toBe(404);
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(0, Date.parse(expires_at) - Date.now()) + 50),
    );
    const expired = await call(`/repos/acme/fleet/commits/${SHA}/status`, { credential: token });
    expect(expired.status).toBe(401);
    expect(github.isValidToken(token)).toBe(false);
  });

  it('answers an outage with 500 until it ends, recording every request', async () => {
    github.setOutage({ kind: 'server-error', status: 503 });
    expect((await call(`/repos/acme/fleet/commits/${SHA}/status`)).status).toBe(503);
    github.setOutage(null);
    expect((await call(`/repos/acme/fleet/commits/${SHA}/status`)).status).toBe(200);
    expect(
      github
        .requests()
        .slice(-2)
        .map((request) => request.status),
    ).toEqual([503, 200]);
  });
});
