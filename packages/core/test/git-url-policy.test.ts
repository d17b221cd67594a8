import { randomBytes } from 'node:crypto';
import { createLogger } from '@flotilla/config';
import { createRedis, JobQueues } from '@flotilla/jobs';
import {
  createTestDatabase,
  createTestRedis,
  type TestDatabase,
  type TestRedis,
} from '@flotilla/testkit';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AppError,
  createGitRepo,
  SecretBox,
  type CoreContext,
  type Principal,
} from '../src/index.ts';

/**
 * The URL rules of a GitRepo where the API applies them (createGitRepo, what POST
 * /api/v1/gitrepos calls), against a real database: a refused URL is a 422 naming `url`, and
 * nothing is stored or queued.
 */
describe('createGitRepo: the outbound URL policy', () => {
  let database: TestDatabase;
  let testRedis: TestRedis;
  let redis: Redis;
  let principal: Principal;
  const context = (overrides: Partial<CoreContext> = {}): CoreContext => ({
    db: database.db,
    redis,
    queues: new JobQueues(redis),
    secrets: new SecretBox(randomBytes(32).toString('base64')),
    logger: createLogger({ name: 'test', level: 'error' }),
    now: () => new Date(),
    allowFileGitUrls: false,
    ...overrides,
  });

  beforeAll(async () => {
    [database, testRedis] = await Promise.all([createTestDatabase(), createTestRedis()]);
    redis = createRedis(testRedis.url);
    const workspace = await database.db.workspace.create({ data: { name: 'default' } });
    principal = {
      kind: 'bootstrap',
      id: 'bootstrap',
      label: 'bootstrap token',
      workspaceId: workspace.id,
      role: 'admin',
    };
  });

  afterAll(async () => {
    redis?.disconnect();
    await testRedis?.cleanup();
    await database?.drop();
  });

  const refusal = async (url: string, ctx = context()) => {
    try {
      await createGitRepo({
        ctx,
        principal,
        input: { name: `r-${randomBytes(3).toString('hex')}`, url },
      });
    } catch (error) {
      if (error instanceof AppError) return { code: error.code, fields: error.details.errors };
      throw error;
    }
    return undefined;
  };

  it.each([
    ['file:///srv/git/fleet.git', 'file:// URLs are not allowed on this installation'],
    [
      'http://169.254.169.254/latest/meta-data',
      'the repository address 169.254.169.254 is a link-local address (cloud metadata lives there)',
    ],
    [
      'https://2852039166/repo.git',
      'the repository address 169.254.169.254 is a link-local address (cloud metadata lives there)',
    ],
    [
      'https://metadata.google.internal/repo.git',
      'the repository host metadata.google.internal is a cloud metadata endpoint',
    ],
    [
      'http://10.1.2.3/fleet.git',
      '"http://10.1.2.3/fleet.git" uses plain http: use https:// (http:// is allowed only to a loopback address, or everywhere with FLOTILLA_ALLOW_INSECURE_GIT=1)',
    ],
    ['ssh://git@github.com/o/r.git', 'ssh:// URLs are not supported: use https://'],
  ])('refuses %s naming the url field', async (url, message) => {
    expect(await refusal(url)).toEqual({
      code: 'ValidationFailed',
      fields: [{ path: 'url', message }],
    });
  });

  it('stores nothing for a refused URL', async () => {
    await refusal('file:///etc');
    expect(await database.db.gitRepo.count({ where: { url: 'file:///etc' } })).toBe(0);
  });

  it('accepts what the installation allows', async () => {
    expect(await refusal('https://github.com/org/fleet.git')).toBeUndefined();
    expect(await refusal('http://127.0.0.1:8080/fleet.git')).toBeUndefined();
    expect(
      await refusal('file:///srv/git/fleet.git', context({ allowFileGitUrls: true })),
    ).toBeUndefined();
    expect(
      await refusal('http://10.1.2.3/fleet.git', context({ allowInsecureGitUrls: true })),
    ).toBeUndefined();
  });
});
