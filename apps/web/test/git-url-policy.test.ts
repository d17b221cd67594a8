import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from './testkit.ts';

interface Problem {
  status: number;
  errors?: { path: string; message: string }[];
}

/**
 * POST /api/v1/gitrepos on an installation with the defaults: no file:// URLs (they read the
 * worker's disk), and no URL aimed at the cloud metadata service, however it is spelled.
 */
describe('POST /api/v1/gitrepos refuses URLs the outbound policy refuses', () => {
  let platform: Platform;

  beforeAll(async () => {
    // The test platform allows file:// for its fixtures; this one runs with the default.
    platform = await startPlatform({
      isWorkerStarted: false,
      env: { FLOTILLA_ALLOW_FILE_GIT_URLS: '0' },
    });
  });

  afterAll(async () => {
    await platform?.stop();
  });

  const create = async (url: string) => {
    const response = await platform.api('/api/v1/gitrepos', {
      json: { name: `repo-${Math.random().toString(36).slice(2, 8)}`, url },
    });
    return { status: response.status, body: (await response.json()) as Problem };
  };

  it('answers 422 naming the url field for a file:// URL, and stores nothing', async () => {
    const { status, body } = await create('file:///srv/git/fleet.git');
    expect(status).toBe(422);
    expect(body.errors).toEqual([
      { path: 'url', message: 'file:// URLs are not allowed on this installation' },
    ]);
    const list = (await (await platform.api('/api/v1/gitrepos')).json()) as { items: unknown[] };
    expect(list.items).toEqual([]);
  });

  it.each([
    'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
    'https://2852039166/repo.git',
    'https://metadata.google.internal/repo.git',
  ])('answers 422 naming the url field for %s', async (url) => {
    const { status, body } = await create(url);
    expect(status).toBe(422);
    expect(body.errors?.map(({ path }) => path)).toEqual(['url']);
    expect(body.errors?.[0]?.message).toMatch(/metadata/);
  });
});
