import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createAddressPolicy, parseNetworkList, type ResolveHost } from '@flotilla/net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createBareRepo,
  serveGitHttp,
  type BareRepo,
  type GitHttpServer,
} from '../../testkit/src/git.ts';
import { checkRemoteUrl, createGitCache, GitError } from '../src/index.ts';
import { capturingLogger, rejectionOf } from './helpers.ts';

async function gitError(promise: Promise<unknown>): Promise<GitError> {
  const error = await rejectionOf(promise);
  expect(error).toBeInstanceOf(GitError);
  return error as GitError;
}

/** A "Git server" that answers every request with a redirect to `location` + the path. */
async function startRedirector(
  location: string,
): Promise<{ url: string; stop: () => Promise<void> }> {
  const server = http.createServer((request, response) => {
    response.writeHead(301, { location: `${location}${request.url ?? '/'}` });
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('git remotes: the outbound address policy at fetch time', () => {
  let root: string;
  let repo: BareRepo;
  let server: GitHttpServer;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'flotilla-git-policy-test-'));
    await mkdir(path.join(root, 'served'));
    repo = await createBareRepo(
      { 'app/cm.yaml': 'kind: ConfigMap\n' },
      { root: path.join(root, 'served'), name: 'fleet.git' },
    );
    server = await serveGitHttp({ root: path.join(root, 'served') });
  });

  afterAll(async () => {
    await server?.stop();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('refuses a redirect to the metadata address instead of following it', async () => {
    const redirector = await startRedirector('http://169.254.169.254/latest/meta-data');
    try {
      const cache = createGitCache({ dir: path.join(root, 'cache-1'), timeoutMs: 20_000 });
      const error = await gitError(
        cache.fetch({ repoId: 'redirected', url: `${redirector.url}/fleet.git` }),
      );
      expect(error.code).toBe('InvalidUrl');
      expect(error.message).toBe(
        `${redirector.url}/fleet.git answered with a redirect (HTTP 301); redirects are not followed: use the repository's final URL`,
      );
    } finally {
      await redirector.stop();
    }
  });

  it('does not follow a redirect even to a reachable Git server: that server is never asked', async () => {
    const target = server.url('').replace(/\/$/, '');
    const redirector = await startRedirector(target);
    try {
      const before = server.requests;
      const cache = createGitCache({ dir: path.join(root, 'cache-2'), timeoutMs: 20_000 });
      const error = await gitError(
        cache.fetch({ repoId: 'redirected', url: `${redirector.url}/fleet.git` }),
      );
      expect(error.code).toBe('InvalidUrl');
      expect(error.message).toMatch(/answered with a redirect \(HTTP 301\)/);
      expect(server.requests).toBe(before);
    } finally {
      await redirector.stop();
    }
  });

  it('pins git to the checked address, and refuses the name when DNS later answers a metadata address (rebinding)', async () => {
    const answers = ['127.0.0.1', '169.254.169.254'];
    const asked: string[] = [];
    // A DNS that changes its answer between two fetches, as a rebinding attacker's does.
    const resolveHost: ResolveHost = async (host) => {
      asked.push(host);
      const address = answers.shift() ?? '169.254.169.254';
      return [{ address, family: 4 }];
    };
    const log = capturingLogger();
    const cache = createGitCache({
      dir: path.join(root, 'cache-3'),
      timeoutMs: 20_000,
      resolveHost,
      logger: log.logger,
    });
    const { port } = new URL(server.url(repo.name));
    // "git.flotilla.test" exists in no DNS: the fetch works only because git connects to the
    // address we checked (http.curloptResolve), never resolving the name itself.
    const url = `http://git.flotilla.test:${port}/${repo.name}`;
    const { commit } = await cache.fetch({ repoId: 'rebinding', url, branch: 'main' });
    expect(commit).toBe(await repo.head());
    const fetchArgs = log.gitArgs().find((args) => args.includes('fetch'));
    expect(fetchArgs).toEqual(
      expect.arrayContaining([
        'http.followRedirects=false',
        `http.curloptResolve=git.flotilla.test:${port}:127.0.0.1`,
      ]),
    );

    const gitRunsBefore = log.gitArgs().length;
    const error = await gitError(cache.fetch({ repoId: 'rebinding', url, branch: 'main' }));
    expect(error.code).toBe('InvalidUrl');
    expect(error.message).toBe(
      'the repository host git.flotilla.test resolves to 169.254.169.254, a link-local address (cloud metadata lives there)',
    );
    expect(asked).toEqual(['git.flotilla.test', 'git.flotilla.test']);
    // Refused before any git command reached the network.
    expect(
      log
        .gitArgs()
        .slice(gitRunsBefore)
        .some((args) => args.includes('fetch')),
    ).toBe(false);
  });

  it('refuses at fetch time a host name that resolves into FLOTILLA_DENIED_NETWORKS (real DNS)', async () => {
    const denied = parseNetworkList('127.0.0.0/8, ::1', 'in FLOTILLA_DENIED_NETWORKS');
    if (!denied.ok) throw new Error(denied.message);
    const cache = createGitCache({
      dir: path.join(root, 'cache-4'),
      timeoutMs: 20_000,
      addressPolicy: createAddressPolicy({ denied: denied.networks }),
    });
    const { port } = new URL(server.url(repo.name));
    const before = server.requests;
    const error = await gitError(
      cache.fetch({ repoId: 'denied', url: `http://localhost:${port}/${repo.name}` }),
    );
    expect(error.code).toBe('InvalidUrl');
    expect(error.message).toMatch(
      /^the repository host localhost resolves to (127\.0\.0\.1|::1), in FLOTILLA_DENIED_NETWORKS$/,
    );
    expect(server.requests).toBe(before);
  });

  it('allows plain http only to loopback unless the installation allows it', async () => {
    const cache = createGitCache({ dir: path.join(root, 'cache-5'), timeoutMs: 20_000 });
    const error = await gitError(
      cache.fetch({ repoId: 'plain', url: 'http://10.20.30.40/fleet.git' }),
    );
    expect(error.message).toBe(
      '"http://10.20.30.40/fleet.git" uses plain http: use https:// (http:// is allowed only to a loopback address, or everywhere with FLOTILLA_ALLOW_INSECURE_GIT=1)',
    );
    // A name is judged by what it resolves to, at fetch time.
    const resolving = createGitCache({
      dir: path.join(root, 'cache-6'),
      timeoutMs: 20_000,
      resolveHost: async () => [{ address: '10.20.30.40', family: 4 }],
    });
    const named = await gitError(
      resolving.fetch({ repoId: 'plain', url: 'http://git.flotilla.test/fleet.git' }),
    );
    expect(named.message).toBe(
      'the repository host git.flotilla.test is not a loopback address, and plain http is allowed only there (use https://, or set FLOTILLA_ALLOW_INSECURE_GIT=1)',
    );
    expect(() =>
      checkRemoteUrl('http://10.20.30.40/fleet.git', { allowInsecureHttp: true }),
    ).not.toThrow();
  });
});

describe('checkRemoteUrl (no DNS)', () => {
  it.each([
    [
      'https://169.254.169.254/repo.git',
      'the repository address 169.254.169.254 is a link-local address (cloud metadata lives there)',
    ],
    [
      'http://2852039166/repo.git',
      'the repository address 169.254.169.254 is a link-local address (cloud metadata lives there)',
    ],
    [
      'https://[::ffff:169.254.169.254]/repo.git',
      'the repository address ::ffff:a9fe:a9fe is a link-local address (cloud metadata lives there)',
    ],
    [
      'https://metadata.google.internal/computeMetadata/v1/',
      'the repository host metadata.google.internal is a cloud metadata endpoint',
    ],
    ['ssh://git@github.com/o/r.git', 'ssh:// URLs are not supported: use https://'],
    [
      'git@github.com:o/r.git',
      '"git@github.com:o/r.git" is not a URL git can fetch: use https://host/owner/repo',
    ],
    ['file:///etc', 'file:// URLs are not supported: use https://'],
  ])('refuses %s', (url, message) => {
    expect(() => checkRemoteUrl(url)).toThrow(message);
  });

  it.each([
    'https://github.com/o/r.git',
    'https://10.0.0.5/r.git',
    'http://127.0.0.1:8080/r.git',
    'http://0x7f.1:8080/r.git',
    'http://localhost:8080/r.git',
  ])('accepts %s', (url) => {
    expect(checkRemoteUrl(url).url).toBe(url);
  });
});
