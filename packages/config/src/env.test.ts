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

describe('worker configuration', () => {
  it('has defaults for the reconcile intervals', () => {
    const config = parseConfig(workerEnvSchema, good);
    expect(config.FLOTILLA_MONITOR_INTERVAL_SECONDS).toBe(30);
    expect(config.FLOTILLA_CLUSTER_CONCURRENCY).toBe(4);
  });
});
