import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig, webEnvSchema, workerEnvSchema } from './env.ts';

const good = {
  DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/flotilla',
  REDIS_URL: 'redis://127.0.0.1:6379/0',
  FLOTILLA_SECRET_KEY: Buffer.alloc(32, 7).toString('base64'),
};

function problem(env: Record<string, string | undefined>): string {
  try {
    parseConfig(webEnvSchema, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a configuration error');
}

describe('web configuration', () => {
  it('reads a good environment with defaults', () => {
    const config = parseConfig(webEnvSchema, good);
    expect(config.PORT).toBe(3000);
    expect(config.FLOTILLA_DEMO).toBe(false);
    expect(config.FLOTILLA_BOOTSTRAP_TOKEN).toBeUndefined();
  });

  it.each([
    [{ ...good, DATABASE_URL: undefined }, 'DATABASE_URL is not set'],
    [{ ...good, DATABASE_URL: 'mysql://x' }, 'DATABASE_URL must be a postgresql:// URL'],
    [{ ...good, REDIS_URL: 'http://127.0.0.1:6379' }, 'REDIS_URL must be a redis:// URL'],
    [
      { ...good, REDIS_URL: 'redis://127.0.0.1:6379/zero' },
      'REDIS_URL the path must be a database index',
    ],
    [{ ...good, FLOTILLA_SECRET_KEY: 'c2hvcnQ=' }, 'FLOTILLA_SECRET_KEY must be 32 random bytes'],
    [{ ...good, PORT: 'eighty' }, 'PORT'],
    [
      { ...good, FLOTILLA_BOOTSTRAP_TOKEN: 'short' },
      'FLOTILLA_BOOTSTRAP_TOKEN must be at least 16',
    ],
    [{ ...good, FLOTILLA_DEMO: 'yes' }, 'FLOTILLA_DEMO'],
  ])('names the variable that is wrong (%#)', (env, expected) => {
    expect(problem(env)).toContain(expected);
  });

  it('reports every problem on one line', () => {
    const message = problem({});
    expect(message).toContain('DATABASE_URL');
    expect(message).toContain('REDIS_URL');
    expect(message).not.toContain('\n');
  });
});

describe('sign-in configuration', () => {
  it('trusts no proxy and keeps passwords on by default', () => {
    const config = parseConfig(webEnvSchema, good);
    expect(config.FLOTILLA_TRUSTED_PROXIES).toEqual([]);
    expect(config.FLOTILLA_LOCAL_LOGIN).toBe(true);
    expect(config.FLOTILLA_OIDC_GROUPS_CLAIM).toBe('groups');
  });

  it('reads trusted proxies as CIDR blocks, a bare address as one host', () => {
    const config = parseConfig(webEnvSchema, {
      ...good,
      FLOTILLA_TRUSTED_PROXIES: '10.0.0.0/8, 192.0.2.1 fd00::/8',
    });
    expect(config.FLOTILLA_TRUSTED_PROXIES).toEqual([
      { address: '10.0.0.0', prefix: 8, family: 'ipv4', why: 'a trusted proxy' },
      { address: '192.0.2.1', prefix: 32, family: 'ipv4', why: 'a trusted proxy' },
      { address: 'fd00::', prefix: 8, family: 'ipv6', why: 'a trusted proxy' },
    ]);
  });

  it('reads the single sign-on role map; a workspace name may hold colons', () => {
    const config = parseConfig(webEnvSchema, {
      ...good,
      FLOTILLA_OIDC_ISSUER: 'https://id.example.com',
      FLOTILLA_OIDC_CLIENT_ID: 'flotilla',
      FLOTILLA_OIDC_ALLOWED_DOMAINS: 'Example.com, @corp.example',
      FLOTILLA_OIDC_ROLE_MAP: 'ops:default:admin, devs:team:a:viewer',
    });
    expect(config.FLOTILLA_OIDC_ALLOWED_DOMAINS).toEqual(['example.com', 'corp.example']);
    expect(config.FLOTILLA_OIDC_ROLE_MAP).toEqual([
      { group: 'ops', workspace: 'default', role: 'admin' },
      { group: 'devs', workspace: 'team:a', role: 'viewer' },
    ]);
  });

  it.each([
    [{ FLOTILLA_TRUSTED_PROXIES: '10.0.0.0/33' }, '"10.0.0.0/33" has a prefix length outside 0-32'],
    [{ FLOTILLA_TRUSTED_PROXIES: 'proxy.local' }, 'not a CIDR block'],
    [{ FLOTILLA_OIDC_ISSUER: 'http://id.example.com' }, 'must be an https:// URL'],
    [{ FLOTILLA_OIDC_ISSUER: 'https://id.example.com' }, 'FLOTILLA_OIDC_CLIENT_ID is not set'],
    [{ FLOTILLA_LOCAL_LOGIN: '0' }, 'FLOTILLA_LOCAL_LOGIN is 0, but no FLOTILLA_OIDC_ISSUER'],
    [{ FLOTILLA_OIDC_ROLE_MAP: 'ops:admin' }, 'write each entry as group:workspace:role'],
    [{ FLOTILLA_OIDC_ROLE_MAP: 'ops:default:root' }, 'whose role is not one of'],
  ])('names the sign-in variable that is wrong (%#)', (env, expected) => {
    expect(problem({ ...good, ...env })).toContain(expected);
  });
});

describe('worker configuration', () => {
  it('has defaults for the reconcile intervals', () => {
    const config = parseConfig(workerEnvSchema, good);
    expect(config.FLOTILLA_MONITOR_INTERVAL_SECONDS).toBe(30);
    expect(config.FLOTILLA_CLUSTER_CONCURRENCY).toBe(4);
  });
});
