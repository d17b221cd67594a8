import { mkdtemp, readFile, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createBareRepo,
  runTestGit,
  serveGitHttp,
  type BareRepo,
  type GitHttpServer,
} from '../src/git.ts';

describe('git harness: bare repositories served over file:// and HTTP', () => {
  let repo: BareRepo;
  let server: GitHttpServer;
  let work: string;

  beforeAll(async () => {
    repo = await createBareRepo({
      'apps/web/deployment.yaml': 'kind: Deployment\n',
      'apps/web/link.yaml': { symlink: 'deployment.yaml' },
    });
    server = await serveGitHttp({
      root: repo.root,
      auth: { username: 'alice', password: 's3cret' },
    });
    work = await mkdtemp(path.join(tmpdir(), 'flotilla-git-harness-'));
  });

  afterAll(async () => {
    await server?.stop();
    await repo?.remove();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('clones over file:// with the files and the symlink it was given', async () => {
    const clone = path.join(work, 'file-clone');
    await runTestGit(['clone', '--quiet', repo.url, clone], {
      env: { GIT_ALLOW_PROTOCOL: 'file' },
    });
    expect(await readFile(path.join(clone, 'apps/web/deployment.yaml'), 'utf8')).toBe(
      'kind: Deployment\n',
    );
    expect(await readlink(path.join(clone, 'apps/web/link.yaml'))).toBe('deployment.yaml');
    expect((await runTestGit(['-C', clone, 'rev-parse', 'HEAD'])).trim()).toBe(await repo.head());
  });

  it('clones over HTTP with basic auth, and sees a later commit that removes a file', async () => {
    const first = await repo.head();
    const second = await repo.commit(
      { 'apps/web/service.yaml': 'kind: Service\n' },
      { message: 'add service', remove: ['apps/web/link.yaml'] },
    );
    expect(second).not.toBe(first);

    const url = server.url(repo.name).replace('http://', 'http://alice:s3cret@');
    const clone = path.join(work, 'http-clone');
    await runTestGit(['clone', '--quiet', url, clone], { env: { GIT_TERMINAL_PROMPT: '0' } });
    expect(await readFile(path.join(clone, 'apps/web/service.yaml'), 'utf8')).toBe(
      'kind: Service\n',
    );
    expect((await runTestGit(['-C', clone, 'ls-files'])).trim().split('\n')).toEqual([
      'apps/web/deployment.yaml',
      'apps/web/service.yaml',
    ]);
    expect((await runTestGit(['-C', clone, 'rev-parse', 'HEAD'])).trim()).toBe(second);
    expect(server.requests).toBeGreaterThanOrEqual(2);
  });

  it('answers 401 with a Basic challenge when the password is wrong or missing', async () => {
    const url = server.url(repo.name).replace('http://', 'http://alice:wrong@');
    await expect(
      runTestGit(['clone', '--quiet', url, path.join(work, 'denied')], {
        env: { GIT_TERMINAL_PROMPT: '0' },
      }),
    ).rejects.toThrow(/Authentication failed/);

    const response = await fetch(`${server.url(repo.name)}/info/refs?service=git-upload-pack`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Basic /);
  });

  it('stores entries no checkout would create, such as a path through ".."', async () => {
    const odd = await createBareRepo({
      '../outside.yaml': 'x: 1\n',
      'escape.yaml': { symlink: '../../etc/passwd' },
    });
    try {
      const listing = await runTestGit(['--git-dir', odd.dir, 'ls-tree', '-r', odd.branch]);
      expect(listing).toMatch(/^100644 blob \w+\t\.\.\/outside\.yaml$/m);
      expect(listing).toMatch(/^120000 blob \w+\tescape\.yaml$/m);
    } finally {
      await odd.remove();
    }
  });
});
