import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createBareRepo,
  runTestGit,
  serveGitHttp,
  type BareRepo,
  type GitHttpServer,
} from '../../testkit/src/git.ts';
import { GitError, createGitCache, type GitCache } from '../src/index.ts';
import { rejectionOf } from './helpers.ts';

const TOKEN = 'ghs_pull_request_fetch_token';

describe('git cache: a pull request head (refs/pull/N/head)', () => {
  let root: string;
  let repo: BareRepo;
  let server: GitHttpServer;
  let cache: GitCache;
  let prHead: string;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'flotilla-pr-fetch-'));
    repo = await createBareRepo({ 'web/a.yaml': 'a: 1\n' }, { root: path.join(root, 'served') });
    // GitHub keeps every PR's head (forks' too) under refs/pull/N/head of the base repository;
    // no branch of the base repository holds the commit.
    await runTestGit(['--git-dir', repo.dir, 'update-ref', 'refs/heads/pr', await repo.head()]);
    prHead = await repo.commit({ 'web/a.yaml': 'a: 2\n' }, { message: 'pr', branch: 'pr' });
    await runTestGit(['--git-dir', repo.dir, 'update-ref', 'refs/pull/7/head', prHead]);
    await runTestGit(['--git-dir', repo.dir, 'update-ref', '-d', 'refs/heads/pr']);
    server = await serveGitHttp({
      root: repo.root,
      auth: { username: 'x-access-token', password: TOKEN },
    });
    cache = createGitCache({ dir: path.join(root, 'cache') });
  });

  afterAll(async () => {
    await server?.stop();
    await rm(root, { recursive: true, force: true });
  });

  it('fetches the head with the credentials and reads its files', async () => {
    const { commit } = await cache.fetch({
      repoId: 'pr-repo',
      url: server.url(repo.name),
      pullRequest: 7,
      auth: { token: TOKEN },
    });
    expect(commit).toBe(prHead);
    const tree = await cache.readFiles({ repoId: 'pr-repo', commit });
    expect(tree.files.get('web/a.yaml')).toBe('a: 2\n');
  });

  it('says which pull request is missing', async () => {
    const error = await rejectionOf(
      cache.fetch({
        repoId: 'pr-repo',
        url: server.url(repo.name),
        pullRequest: 8,
        auth: { token: TOKEN },
      }),
    );
    expect(error).toBeInstanceOf(GitError);
    expect((error as GitError).code).toBe('RefNotFound');
    expect((error as GitError).message).toContain('pull request #8');
  });
});
