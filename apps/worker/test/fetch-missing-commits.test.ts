import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger } from '@flotilla/config';
import { SecretBox, type WorkerContext } from '@flotilla/core';
import { createGitCache, isGitError, type GitCache } from '@flotilla/git';
import {
  createBareRepo,
  createTestDatabase,
  type BareRepo,
  type TestDatabase,
} from '@flotilla/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchMissingCommits } from '../src/fetch-missing-commits.ts';

/*
 * Two worker processes, two Git caches: the one that synced the repository has the commit, the
 * one that renders it does not until it fetches it by its sha.
 */
describe('fetchMissingCommits: a render on a worker whose cache lacks the commit', () => {
  let database: TestDatabase;
  let repo: BareRepo;
  const dirs: string[] = [];
  let gitRepoId: string;
  let commit: string;
  const logger = createLogger({ name: 'test', level: 'silent' });

  const cache = (): GitCache => {
    const dir = mkdtempSync(path.join(tmpdir(), 'flotilla-worker-cache-'));
    dirs.push(dir);
    return createGitCache({ dir, allowFileUrls: true, logger });
  };

  beforeAll(async () => {
    [database, repo] = await Promise.all([
      createTestDatabase(),
      createBareRepo({ 'app/config.yaml': 'apiVersion: v1\nkind: ConfigMap\n' }),
    ]);
    const workspace = await database.db.workspace.create({ data: { name: 'fetch-missing' } });
    ({ id: gitRepoId } = await database.db.gitRepo.create({
      data: { workspaceId: workspace.id, name: 'app', url: repo.url },
    }));
    // The worker that ran the git sync.
    ({ commit } = await cache().fetch({ repoId: gitRepoId, url: repo.url, branch: repo.branch }));
  });

  afterAll(async () => {
    await database?.drop();
    await repo?.remove();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('fetches the commit by its sha, then reads it', async () => {
    const own = cache();
    const error = await own.readFiles({ repoId: gitRepoId, commit }).catch((caught) => caught);
    expect(isGitError(error)).toBe(true);

    const ctx = {
      db: database.db,
      secrets: new SecretBox(Buffer.alloc(32, 7).toString('base64')),
      logger,
    } as unknown as WorkerContext;
    const tree = await fetchMissingCommits(own, () => ctx).readFiles({ repoId: gitRepoId, commit });
    expect([...tree.files.keys()]).toContain('app/config.yaml');
  });

  it('fails as before for a cache entry that is no GitRepo', async () => {
    const ctx = { db: database.db, logger } as unknown as WorkerContext;
    await expect(
      fetchMissingCommits(cache(), () => ctx).readFiles({ repoId: 'not-a-repo', commit }),
    ).rejects.toSatisfy(isGitError);
  });
});
