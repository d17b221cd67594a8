import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { json, signIn, type Session } from './access-helpers.ts';
import { createBareRepo, startPlatform, type BareRepo, type Platform } from './testkit.ts';

const canary = (stem: string) => `${stem}-${randomBytes(9).toString('hex')}`;

/** Every row of every table as text: where a leaked secret would sit in plain sight. */
async function databaseText(platform: Platform): Promise<string> {
  const tables = await platform.database.db.$queryRawUnsafe<{ table_name: string }[]>(
    "SELECT table_name::text AS table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
  );
  const rows = await Promise.all(
    tables.map(({ table_name }) =>
      platform.database.db.$queryRawUnsafe<{ row: string }[]>(
        `SELECT row_to_json(t)::text AS row FROM "${table_name}" t`,
      ),
    ),
  );
  expect(tables.map((table) => table.table_name)).toEqual(
    expect.arrayContaining(['AuditEntry', 'Event', 'User', 'Session', 'ApiToken']),
  );
  return rows
    .flat()
    .map((row) => row.row)
    .join('\n');
}

/** Every key and value in Redis: job payloads, live updates, counters. */
async function redisText(url: string): Promise<string> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    const parts: string[] = [];
    for (const key of await redis.keys('*')) {
      const type = await redis.type(key);
      parts.push(key);
      if (type === 'string') parts.push((await redis.get(key)) ?? '');
      else if (type === 'hash') parts.push(JSON.stringify(await redis.hgetall(key)));
      else if (type === 'list') parts.push(JSON.stringify(await redis.lrange(key, 0, -1)));
      else if (type === 'set') parts.push(JSON.stringify(await redis.smembers(key)));
      else if (type === 'zset') parts.push(JSON.stringify(await redis.zrange(key, '0', '-1')));
      else if (type === 'stream') parts.push(JSON.stringify(await redis.xrange(key, '-', '+')));
    }
    return parts.join('\n');
  } finally {
    await redis.quit();
  }
}

describe('secrets stay secret', () => {
  let platform: Platform;
  let repo: BareRepo;
  const responses: string[] = [];
  const secrets = {
    memberPassword: canary('member-password'),
    wrongPassword: canary('wrong-password'),
    passwordTypedAsEmail: canary('typed-in-email-field'),
    shortPassword: `c${randomBytes(4).toString('hex')}`,
    clusterToken: canary('cluster-token'),
    gitPassword: canary('git-password'),
    webhookSecret: canary('webhook-secret'),
    helmPassword: canary('helm-password'),
  };
  let apiToken = '';
  let sessionSecret = '';

  /** Calls the API and keeps what it answered, to search it later. */
  const call = async (pathname: string, init: Parameters<Platform['api']>[1] = {}) => {
    const response = await platform.api(pathname, init);
    responses.push(
      `${response.status} ${pathname} ${JSON.stringify([...response.headers])} ${await response.clone().text()}`,
    );
    return response;
  };

  beforeAll(async () => {
    [platform, repo] = await Promise.all([
      startPlatform({ env: { FLOTILLA_TICK_SECONDS: '1', FLOTILLA_PROBE_INTERVAL_SECONDS: '1' } }),
      createBareRepo({
        'app/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n',
      }),
    ]);
    const email = `${canary('alice')}@example.com`;
    await json(
      await call('/api/v1/members', {
        json: { email, role: 'admin', password: secrets.memberPassword },
      }),
    );
    await call('/api/v1/members', {
      json: { email: 'short@example.com', role: 'viewer', password: secrets.shortPassword },
    });
    await call('/api/v1/auth/login', {
      token: null,
      json: { email, password: secrets.wrongPassword },
    });
    await call('/api/v1/auth/login', {
      token: null,
      json: { email: secrets.passwordTypedAsEmail, password: secrets.memberPassword },
    });
    const session: Session = await signIn(platform, email, secrets.memberPassword);
    sessionSecret = session.cookie.split('=')[1]!;
    const created = await call('/api/v1/tokens', {
      token: null,
      headers: { cookie: session.cookie, origin: platform.url },
      json: { name: 'ci', role: 'operator' },
    });
    apiToken = ((await created.json()) as { token: string }).token;
    expect(apiToken).toMatch(/^flt_/);
    responses.pop(); // the one answer allowed to show the token

    await json(
      await call('/api/v1/clusters', {
        token: apiToken,
        json: { name: 'prod', apiServerUrl: 'https://127.0.0.1:1', token: secrets.clusterToken },
      }),
    );
    const gitRepo = await json<{ id: string }>(
      await call('/api/v1/gitrepos', {
        token: apiToken,
        json: {
          name: 'apps',
          url: repo.url,
          auth: { username: 'git', password: secrets.gitPassword },
          webhookSecret: secrets.webhookSecret,
          helmAuth: { username: 'charts', password: secrets.helmPassword },
        },
      }),
    );
    await call(`/api/v1/gitrepos/${gitRepo.id}/sync`, { token: apiToken, method: 'POST' });
    await vi.waitFor(
      async () => {
        const state = await json<{ state: string }>(
          await call(`/api/v1/gitrepos/${gitRepo.id}`, { token: apiToken }),
        );
        if (state.state === 'Pending' || state.state === 'Fetching')
          throw new Error(`still ${state.state}`);
      },
      { timeout: 60_000, interval: 500 },
    );
    for (const pathname of [
      '/api/v1/audit?limit=1000',
      '/api/v1/events',
      '/api/v1/members',
      '/api/v1/tokens',
      '/api/v1/clusters',
      '/api/v1/gitrepos',
      '/api/v1/workspaces',
      '/api/v1/auth/session',
    ]) {
      await json(await call(pathname));
    }
    await call('/api/v1/auth/logout', {
      token: null,
      method: 'POST',
      headers: { cookie: session.cookie, origin: platform.url },
    });
  });

  afterAll(async () => {
    await platform?.stop();
    await repo?.remove();
  });

  const everywhere = async () => ({
    'web log': platform.webLog(),
    'worker log': platform.workerLog(),
    'API responses': responses.join('\n'),
    database: await databaseText(platform),
    redis: await redisText(platform.redisUrl),
  });

  it('has looked at a real trail: the audit entries and logs are not empty', async () => {
    const places = await everywhere();
    expect(places.database).toContain('token.create');
    expect(places.database).toContain('auth.login-failed');
    expect(places['worker log']).toContain('worker ready');
    // The search does find what is stored: the token's public prefix is in its row and lists.
    expect(places.database).toContain(apiToken.slice(0, 12));
    expect(places['API responses']).toContain(apiToken.slice(0, 12));
    expect(responses.length).toBeGreaterThan(10);
  });

  it.each([
    'memberPassword',
    'wrongPassword',
    'passwordTypedAsEmail',
    'shortPassword',
    'clusterToken',
    'gitPassword',
    'webhookSecret',
    'helmPassword',
  ] as const)('finds the %s nowhere', async (name) => {
    const places = await everywhere();
    for (const [place, text] of Object.entries(places)) {
      expect(text.includes(secrets[name]), `${name} in the ${place}`).toBe(false);
    }
  });

  it('finds the API token and the session secret nowhere but their hashes', async () => {
    const places = await everywhere();
    const tokenSecretPart = apiToken.slice('flt_'.length + 8);
    for (const [place, text] of Object.entries(places)) {
      expect(text.includes(tokenSecretPart), `the API token in the ${place}`).toBe(false);
      expect(text.includes(sessionSecret), `the session secret in the ${place}`).toBe(false);
    }
  });
});
