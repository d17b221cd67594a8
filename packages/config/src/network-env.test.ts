import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig, webEnvSchema, workerEnvSchema } from './env.ts';

const good = {
  DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/flotilla',
  REDIS_URL: 'redis://127.0.0.1:6379/0',
  FLOTILLA_SECRET_KEY: Buffer.alloc(32, 7).toString('base64'),
};

function problem(env: Record<string, string | undefined>): string {
  try {
    parseConfig(workerEnvSchema, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a configuration error');
}

describe('outbound network settings', () => {
  it('default to no extra refusals, no allow list and no plain-http Git', () => {
    for (const schema of [webEnvSchema, workerEnvSchema]) {
      const config = parseConfig(schema, good);
      expect(config.FLOTILLA_DENIED_NETWORKS).toEqual([]);
      expect(config.FLOTILLA_ALLOWED_NETWORKS).toEqual([]);
      expect(config.FLOTILLA_ALLOW_INSECURE_GIT).toBe(false);
    }
  });

  it('read CIDR lists into networks that name the variable in refusals', () => {
    const config = parseConfig(workerEnvSchema, {
      ...good,
      FLOTILLA_DENIED_NETWORKS: '10.0.0.0/8, fd00::/8',
      FLOTILLA_ALLOWED_NETWORKS: '192.168.0.0/16 127.0.0.1',
      FLOTILLA_ALLOW_INSECURE_GIT: '1',
    });
    expect(config.FLOTILLA_DENIED_NETWORKS).toEqual([
      { address: '10.0.0.0', prefix: 8, family: 'ipv4', why: 'in FLOTILLA_DENIED_NETWORKS' },
      { address: 'fd00::', prefix: 8, family: 'ipv6', why: 'in FLOTILLA_DENIED_NETWORKS' },
    ]);
    expect(
      config.FLOTILLA_ALLOWED_NETWORKS.map(({ address, prefix }) => `${address}/${prefix}`),
    ).toEqual(['192.168.0.0/16', '127.0.0.1/32']);
    expect(config.FLOTILLA_ALLOW_INSECURE_GIT).toBe(true);
  });

  it.each([
    [
      { FLOTILLA_DENIED_NETWORKS: '10.0.0.0/33' },
      'FLOTILLA_DENIED_NETWORKS is not a CIDR list: "10.0.0.0/33" has a prefix length outside 0-32',
    ],
    [
      { FLOTILLA_ALLOWED_NETWORKS: '10.0.0.0/8, intranet' },
      'FLOTILLA_ALLOWED_NETWORKS is not a CIDR list: "intranet" is not a CIDR block such as 10.0.0.0/8 or fd00::/8',
    ],
    [{ FLOTILLA_ALLOW_INSECURE_GIT: 'yes' }, 'FLOTILLA_ALLOW_INSECURE_GIT'],
  ])('names the variable that is wrong (%#)', (env, expected) => {
    expect(problem({ ...good, ...env })).toContain(expected);
  });
});
