import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, stat, utimes, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createBareRepo,
  serveGitHttp,
  type BareRepo,
  type GitHttpServer,
} from '../../testkit/src/git.ts';
import { GitError, createGitCache, type GitCache } from '../src/index.ts';
import { capturingLogger, rejectionOf } from './helpers.ts';

const PASSWORD = 'Pa55-w0rd:with/odd@chars';
const TOKEN = 'ghs_0123456789abcdefTOKEN';

async function gitError(promise: Promise<unknown>): Promise<GitError> {
  const error = await rejectionOf(promise);
  expect(error).toBeInstanceOf(GitError);
  return error as GitError;
}

async function listen(server: http.Server | net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

describe('git cache: fetching into one bare repository per GitRepo', () => {
  let root: string;
  let cacheDir: string;
  let repo: BareRepo;
  let tokenRepo: BareRepo;
  let server: GitHttpServer;
  let tokenServer: GitHttpServer;
  const log = capturingLogger();
  let cache: GitCache;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'flotilla-git-cache-test-'));
    cacheDir = path.join(root, 'cache');
    const served = path.join(root, 'served');
    const servedByToken = path.join(root, 'served-token');
    await Promise.all([mkdir(served), mkdir(servedByToken)]);
    repo = await createBareRepo(
      { 'apps/web/deploy.yaml': 'kind: Deployment\n' },
      { root: served, name: 'fleet.git' },
    );
    tokenRepo = await createBareRepo(
      { 'a.yaml': 'a: 1\n' },
      { root: servedByToken, name: 'app.git', branch: 'trunk' },
    );
    server = await serveGitHttp({ root: served, auth: { username: 'alice', password: PASSWORD } });
    tokenServer = await serveGitHttp({
      root: servedByToken,
      auth: { username: 'x-access-token', password: TOKEN },
    });
    cache = createGitCache({
      dir: cacheDir,
      logger: log.logger,
      allowFileUrls: true,
      timeoutMs: 30_000,
    });
  });

  afterAll(async () => {
    await Promise.all([server?.stop(), tokenServer?.stop()]);
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('fetches a branch over file:// and reads its files from the cache', async () => {
    const { commit, gitDir } = await cache.fetch({
      repoId: 'file-repo',
      url: repo.url,
      branch: 'main',
    });
    expect(commit).toBe(await repo.head());
    expect(gitDir).toBe(path.join(cacheDir, 'file-repo.git'));
    const tree = await cache.readFiles({ repoId: 'file-repo', commit });
    expect(tree.files).toEqual(new Map([['apps/web/deploy.yaml', 'kind: Deployment\n']]));
  });

  it('refuses file:// URLs unless allowed, before running git', async () => {
    const strict = createGitCache({ dir: cacheDir });
    const error = await gitError(strict.fetch({ repoId: 'strict', url: repo.url }));
    expect(error.code).toBe('InvalidUrl');
    expect(error.message).toBe('file:// URLs are not supported: use https://');
    await expect(stat(path.join(cacheDir, 'strict.git'))).rejects.toThrow(/ENOENT/);
  });

  it('fetches over HTTP with basic auth; the password is in no argument, message or log line', async () => {
    const { commit } = await cache.fetch({
      repoId: 'http-repo',
      url: server.url(repo.name),
      branch: 'main',
      auth: { username: 'alice', password: PASSWORD },
    });
    expect(commit).toBe(await repo.head());
    const fetchArgs = log
      .gitArgs()
      .find((args) => args.includes('fetch') && args.includes(server.url(repo.name)));
    // The fetch really went to the server, so the checks below are not vacuous.
    expect(fetchArgs).toEqual(expect.arrayContaining(['fetch', server.url(repo.name)]));
    for (const args of log.gitArgs()) {
      for (const arg of args) expect(arg).not.toContain(PASSWORD);
    }
    expect(log.text()).not.toContain(PASSWORD);
    expect(log.text()).not.toContain(encodeURIComponent(PASSWORD));
  });

  it('sends a token as the password of x-access-token, and fetches the default branch when none is named', async () => {
    const { commit } = await cache.fetch({
      repoId: 'token-repo',
      url: tokenServer.url(tokenRepo.name),
      auth: { token: TOKEN },
    });
    expect(commit).toBe(await tokenRepo.head('trunk'));
    expect(log.text()).not.toContain(TOKEN);
  });

  it('says AuthFailed for a wrong password, without repeating either password', async () => {
    const wrong = 'wrong-Pa55word-123';
    const error = await gitError(
      cache.fetch({
        repoId: 'http-repo',
        url: server.url(repo.name),
        auth: { username: 'alice', password: wrong },
      }),
    );
    expect(error.code).toBe('AuthFailed');
    expect(error.message).toMatch(
      /^authentication failed for http:\/\/127\.0\.0\.1:\d+\/fleet\.git: .*fatal: Authentication failed for/,
    );
    for (const secret of [wrong, PASSWORD]) {
      expect(error.message).not.toContain(secret);
      expect(log.text()).not.toContain(secret);
    }
    expect(log.lines.at(-1)).toMatchObject({
      level: 'warn',
      fields: { repoId: 'http-repo', code: 'AuthFailed' },
    });
  });

  it('says AuthFailed when the server wants credentials and none are configured', async () => {
    const error = await gitError(cache.fetch({ repoId: 'no-auth', url: server.url(repo.name) }));
    expect(error.code).toBe('AuthFailed');
    expect(error.message).toMatch(/could not read Username/);
  });

  it('says RefNotFound for a branch the repository does not have', async () => {
    const error = await gitError(
      cache.fetch({ repoId: 'file-repo', url: repo.url, branch: 'nope' }),
    );
    expect(error.code).toBe('RefNotFound');
    expect(error.message).toBe(`branch "nope" not found in ${repo.url}`);
  });

  it('says NotFound for a repository that does not exist, over HTTP and file://', async () => {
    const overHttp = await gitError(
      cache.fetch({
        repoId: 'missing',
        url: server.url('missing.git'),
        auth: { username: 'alice', password: PASSWORD },
      }),
    );
    expect(overHttp.code).toBe('NotFound');
    const overFile = await gitError(cache.fetch({ repoId: 'missing', url: `${repo.url}-missing` }));
    expect(overFile.code).toBe('NotFound');
  });

  it('says Unreachable when nothing listens', async () => {
    const closed = net.createServer();
    const port = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));
    const error = await gitError(
      cache.fetch({ repoId: 'unreachable', url: `http://127.0.0.1:${port}/x.git` }),
    );
    expect(error.code).toBe('Unreachable');
    expect(error.message).toMatch(/Connection refused|Failed to connect/);
  });

  it('picks up a new commit on the next fetch and keeps the previous commit readable', async () => {
    const first = await cache.fetch({ repoId: 'moving', url: repo.url, branch: 'main' });
    const second = await repo.commit(
      { 'apps/web/svc.yaml': 'kind: Service\n' },
      { message: 'add service' },
    );
    const next = await cache.fetch({ repoId: 'moving', url: repo.url, branch: 'main' });
    expect(next.commit).toBe(second);
    expect(next.commit).not.toBe(first.commit);
    expect([
      ...(await cache.readFiles({ repoId: 'moving', commit: next.commit })).files.keys(),
    ]).toEqual(['apps/web/deploy.yaml', 'apps/web/svc.yaml']);
    expect([
      ...(await cache.readFiles({ repoId: 'moving', commit: first.commit })).files.keys(),
    ]).toEqual(['apps/web/deploy.yaml']);
  });

  it('names the paths two commits differ in, and says it cannot tell for a commit it lacks', async () => {
    // A repository of its own: the other tests read the shared one's files.
    const own = await createBareRepo(
      { 'apps/web/deploy.yaml': 'kind: Deployment\n', 'apps/web/svc.yaml': 'kind: Service\n' },
      { root, name: 'diffed.git' },
    );
    const before = await cache.fetch({ repoId: 'diffed', url: own.url, branch: 'main' });
    await own.commit(
      {
        'apps/web/deploy.yaml': 'kind: Deployment\nmetadata: {name: web2}\n',
        'apps/api/deploy.yaml': 'kind: Deployment\n',
      },
      { message: 'change web, add api', remove: ['apps/web/svc.yaml'] },
    );
    const after = await cache.fetch({ repoId: 'diffed', url: own.url, branch: 'main' });
    expect(
      (
        await cache.changedPaths({ repoId: 'diffed', from: before.commit, to: after.commit })
      )?.sort(),
    ).toEqual(['apps/api/deploy.yaml', 'apps/web/deploy.yaml', 'apps/web/svc.yaml']);
    expect(
      await cache.changedPaths({ repoId: 'diffed', from: after.commit, to: after.commit }),
    ).toEqual([]);
    expect(
      await cache.changedPaths({ repoId: 'diffed', from: 'f'.repeat(40), to: after.commit }),
    ).toBeUndefined();
    expect(
      await cache.changedPaths({ repoId: 'diffed', from: '--output=/tmp/x', to: after.commit }),
    ).toBeUndefined();
  });

  it('keeps the last good commit when a later fetch fails', async () => {
    const good = await cache.fetch({ repoId: 'keeps', url: repo.url, branch: 'main' });
    await repo.commit({ 'later.yaml': 'x: 1\n' }, { message: 'later' });
    const error = await gitError(
      cache.fetch({ repoId: 'keeps', url: `${repo.url}-gone`, branch: 'main' }),
    );
    expect(error.code).toBe('NotFound');
    const tree = await cache.readFiles({ repoId: 'keeps', commit: good.commit });
    expect(tree.files.get('apps/web/deploy.yaml')).toBe('kind: Deployment\n');
  });

  it('resolves a pinned commit sha, a pinned annotated tag, and refuses what is neither', async () => {
    const pinned = await repo.head();
    await repo.tag('v1.0.0', { commit: pinned, message: 'release 1.0.0' });
    await repo.commit({ 'after-pin.yaml': 'x: 2\n' }, { message: 'after the pin' });

    expect(await cache.fetch({ repoId: 'pinned', url: repo.url, revision: pinned })).toEqual({
      commit: pinned,
      gitDir: path.join(cacheDir, 'pinned.git'),
    });
    expect(
      (await cache.fetch({ repoId: 'pinned-tag', url: repo.url, revision: 'v1.0.0' })).commit,
    ).toBe(pinned);
    // Pinned wins over branch.
    expect(
      (await cache.fetch({ repoId: 'pinned', url: repo.url, branch: 'main', revision: pinned }))
        .commit,
    ).toBe(pinned);

    const unknown = await gitError(
      cache.fetch({ repoId: 'pinned', url: repo.url, revision: 'f'.repeat(40) }),
    );
    expect(unknown.code).toBe('RefNotFound');
    expect(unknown.message).toBe(`commit ${'f'.repeat(40)} not found in ${repo.url}`);
    const short = await gitError(
      cache.fetch({ repoId: 'pinned', url: repo.url, revision: pinned.slice(0, 7) }),
    );
    expect(short.code).toBe('RefNotFound');
    expect(short.message).toMatch(/^tag "\w{7}" not found in/);
  });

  it('answers a pinned commit already in the cache without asking the remote', async () => {
    const pinned = await repo.head();
    await cache.fetch({ repoId: 'offline-pin', url: repo.url, revision: pinned });
    // The remote is gone; the commit is still known.
    const again = await cache.fetch({
      repoId: 'offline-pin',
      url: `${repo.url}-gone`,
      revision: pinned,
    });
    expect(again.commit).toBe(pinned);
  });

  it('refuses branch names that would change the refspec', async () => {
    const error = await gitError(
      cache.fetch({ repoId: 'file-repo', url: repo.url, branch: 'main:refs/heads/evil' }),
    );
    expect(error.code).toBe('RefNotFound');
    expect(error.message).toBe('"main:refs/heads/evil" is not a valid branch name');
  });

  it('serialises fetches of one repository and runs different repositories side by side', async () => {
    const other = await createBareRepo({ 'b.yaml': 'b: 1\n' });
    try {
      const order = capturingLogger();
      const concurrent = createGitCache({
        dir: cacheDir,
        logger: order.logger,
        allowFileUrls: true,
      });
      const [a1, a2, b] = await Promise.all([
        concurrent.fetch({ repoId: 'same', url: repo.url, branch: 'main' }),
        concurrent.fetch({ repoId: 'same', url: repo.url, branch: 'main' }),
        concurrent.fetch({ repoId: 'other', url: other.url, branch: 'main' }),
      ]);
      expect(a1.commit).toBe(await repo.head());
      expect(a2.commit).toBe(a1.commit);
      expect(b.commit).toBe(await other.head());
      // Every git command of the first fetch of "same" ran before any of the second.
      const same = order.lines
        .filter((line) => line.fields.repoId === 'same')
        .map((line) => line.message);
      const firstDone = same.indexOf('fetched');
      expect(same.slice(0, firstDone).every((message) => message === 'running git')).toBe(true);
      expect(same.slice(firstDone + 1)).toContain('running git');
      expect(same.filter((message) => message === 'fetched')).toHaveLength(2);
    } finally {
      await other.remove();
    }
  });

  it('times out a fetch that hangs, and a later fetch of the same repository works', async () => {
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => sockets.add(socket));
    const port = await listen(silent);
    try {
      const quick = createGitCache({ dir: cacheDir, timeoutMs: 1500, allowFileUrls: true });
      const error = await gitError(
        quick.fetch({ repoId: 'hangs', url: `http://127.0.0.1:${port}/x.git` }),
      );
      expect(error.code).toBe('Timeout');
      expect(error.message).toBe(
        `fetching the default branch (HEAD) from http://127.0.0.1:${port}/x.git took longer than 1500 ms`,
      );
      expect((await quick.fetch({ repoId: 'hangs', url: repo.url })).commit).toBe(
        await repo.head(),
      );
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('clears a lock file a killed git left behind', async () => {
    await cache.fetch({ repoId: 'locked', url: repo.url, branch: 'main' });
    const lock = path.join(cacheDir, 'locked.git', 'refs', 'flotilla', 'branches', 'main.lock');
    await writeFile(lock, '');
    const longAgo = new Date(Date.now() - 3_600_000);
    await utimes(lock, longAgo, longAgo);
    await repo.commit({ 'unlock.yaml': 'x: 3\n' }, { message: 'after the crash' });
    expect((await cache.fetch({ repoId: 'locked', url: repo.url, branch: 'main' })).commit).toBe(
      await repo.head(),
    );
  });

  it('makes shallow fetches when a depth is set', async () => {
    const shallow = createGitCache({ dir: cacheDir, depth: 1, allowFileUrls: true });
    const { commit, gitDir } = await shallow.fetch({
      repoId: 'shallow',
      url: repo.url,
      branch: 'main',
    });
    expect(commit).toBe(await repo.head());
    const { stdout } = await promisify(execFile)('git', [
      '--git-dir',
      gitDir,
      'rev-list',
      '--count',
      commit,
    ]);
    expect(stdout.trim()).toBe('1');
  });

  it('does not answer a redirect to another host with the password', async () => {
    const seenAuthorization: string[] = [];
    const otherHost = http.createServer((request, response) => {
      if (request.headers.authorization) seenAuthorization.push(request.headers.authorization);
      response.writeHead(401, { 'www-authenticate': 'Basic realm="elsewhere"' });
      response.end();
    });
    const otherPort = await listen(otherHost);
    const redirector = http.createServer((request, response) => {
      // "localhost" is another host to git than "127.0.0.1", though it reaches the same machine.
      response.writeHead(302, { location: `http://localhost:${otherPort}${request.url}` });
      response.end();
    });
    const port = await listen(redirector);
    try {
      const error = await gitError(
        cache.fetch({
          repoId: 'redirected',
          url: `http://127.0.0.1:${port}/fleet.git`,
          auth: { password: PASSWORD },
        }),
      );
      // Redirects are not followed at all (remote-policy.ts): the other host is never asked.
      expect(error.code).toBe('InvalidUrl');
      expect(error.message).toMatch(/answered with a redirect \(HTTP 302\)/);
      expect(seenAuthorization).toEqual([]);
    } finally {
      await Promise.all([
        new Promise((resolve) => redirector.close(resolve)),
        new Promise((resolve) => otherHost.close(resolve)),
      ]);
    }
  });

  it('lsRemote: a branch, an annotated tag (its commit) and the default branch, in no cache folder', async () => {
    const head = await repo.head();
    await repo.tag('v1.0.0', { message: 'release' });
    const url = server.url(repo.name);
    const auth = { username: 'alice', password: PASSWORD };
    await expect(cache.lsRemote({ url, branch: 'main', auth })).resolves.toEqual({
      what: 'branch "main"',
      commit: head,
    });
    await expect(cache.lsRemote({ url, revision: 'v1.0.0', auth })).resolves.toEqual({
      what: 'tag "v1.0.0"',
      commit: head,
    });
    await expect(
      cache.lsRemote({ url: tokenServer.url(tokenRepo.name), auth: { token: TOKEN } }),
    ).resolves.toMatchObject({ commit: await tokenRepo.head('trunk') });
    // A pinned sha is not listed by a remote: reachable is all that is said.
    await expect(cache.lsRemote({ url, revision: head, auth })).resolves.toEqual({
      what: `commit ${head}`,
    });
    const missing = await gitError(cache.lsRemote({ url, branch: 'gone', auth }));
    expect(missing.code).toBe('RefNotFound');
    expect(missing.message).toBe(`branch "gone" not found in ${url}`);
    const wrong = 'wrong-ls-remote-password';
    const denied = await gitError(
      cache.lsRemote({ url, branch: 'main', auth: { username: 'alice', password: wrong } }),
    );
    expect(denied.code).toBe('AuthFailed');
    expect(denied.message).toMatch(/^authentication failed for /);
    for (const secret of [wrong, PASSWORD]) {
      expect(denied.message).not.toContain(secret);
      expect(log.text()).not.toContain(secret);
    }
    const lsArgs = log.gitArgs().filter((args) => args.includes('ls-remote'));
    expect(lsArgs.length).toBeGreaterThan(0);
    for (const args of lsArgs)
      expect(args.slice(0, 2)).toEqual(['--git-dir', '/nonexistent/flotilla-no-repository']);
  });
});
