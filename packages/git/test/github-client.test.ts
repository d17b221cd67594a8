import { generateKeyPairSync } from 'node:crypto';
import { startGithubServer, type GithubServer } from '@flotilla/testkit';
import { createAddressPolicy, LOOPBACK_NETWORKS } from '@flotilla/net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGithubConnectionClient, githubRepositoryOf } from '../src/index.ts';

const SHA = 'a'.repeat(40);

let github: GithubServer;

beforeAll(async () => {
  github = await startGithubServer();
});

afterAll(async () => {
  await github.close();
});

describe('local GitHub server', () => {
  it('takes a valid status from a personal token and records it', async () => {
    github.addToken('ghp_personal');
    const { octokit } = createGithubConnectionClient({
      credentials: { kind: 'token', token: 'ghp_personal' },
      baseUrl: github.url,
    });
    const created = await octokit.rest.repos.createCommitStatus({
      owner: 'acme',
      repo: 'fleet',
      sha: SHA,
      state: 'pending',
      description: 'rolling out',
      context: 'flotilla',
      target_url: 'https://flotilla.example.com/gitrepos/x',
    });
    expect(created.status).toBe(201);
    expect(github.statuses('acme', 'fleet', SHA)).toMatchObject([
      { state: 'pending', description: 'rolling out', context: 'flotilla' },
    ]);
    const combined = await octokit.rest.repos.getCombinedStatusForRef({
      owner: 'acme',
      repo: 'fleet',
      ref: SHA,
    });
    expect(combined.data.state).toBe('pending');
  });

  it('refuses a body that does not match GitHub’s description with 422, naming the field', async () => {
    github.addToken('ghp_personal');
    const response = await fetch(`${github.url}/repos/acme/fleet/statuses/${SHA}`, {
      method: 'POST',
      headers: { authorization: 'token ghp_personal', 'content-type': 'application/json' },
      body: JSON.stringify({ state: 'done', description: 'x' }),
    });
    expect(response.status).toBe(422);
    const body = (await response.json()) as { message: string };
    expect(body.message).toContain('body/state');
    const unknownQuery = await fetch(
      `${github.url}/repos/acme/fleet/commits/${SHA}/statuses?per_pag=5`,
      { headers: { authorization: 'token ghp_personal' } },
    );
    expect(unknownQuery.status).toBe(422);
    expect(((await unknownQuery.json()) as { message: string }).message).toContain('per_pag');
    const wrongMethod = await fetch(`${github.url}/repos/acme/fleet/statuses/${SHA}`, {
      method: 'DELETE',
      headers: { authorization: 'token ghp_personal' },
    });
    expect(wrongMethod.status).toBe(404);
    const unknownToken = await fetch(`${github.url}/repos/acme/fleet/commits/${SHA}/status`, {
      headers: { authorization: 'token ghp_nobody' },
    });
    expect(unknownToken.status).toBe(401);
  });

  it('retries a 500 and waits out a rate limit (octokit retry and throttling)', async () => {
    github.addToken('ghp_personal');
    const { octokit } = createGithubConnectionClient({
      credentials: { kind: 'token', token: 'ghp_personal' },
      baseUrl: github.url,
    });
    const isStatus = (request: { operationId?: string; path: string; method: string }) =>
      request.method === 'POST' && request.path.includes('/statuses/');
    const before = github.requests().length;
    github.failNext({ kind: 'server-error' }, 1, isStatus);
    github.failNext({ kind: 'rate-limit', resetInSeconds: 1 }, 1, isStatus);
    await octokit.rest.repos.createCommitStatus({
      owner: 'acme',
      repo: 'fleet',
      sha: 'b'.repeat(40),
      state: 'success',
    });
    const statuses = github
      .requests()
      .slice(before)
      .filter(isStatus)
      .map((request) => request.status);
    expect(statuses).toEqual([500, 403, 201]);
  });
});

describe('local GitHub server: check runs and secondary rate limits', () => {
  it('creates and completes a check run, refusing a conclusion GitHub does not know', async () => {
    github.addToken('ghp_checks');
    const { octokit } = createGithubConnectionClient({
      credentials: { kind: 'token', token: 'ghp_checks' },
      baseUrl: github.url,
    });
    const created = await octokit.rest.checks.create({
      owner: 'acme',
      repo: 'fleet',
      name: 'flotilla preview',
      head_sha: SHA,
      status: 'in_progress',
    });
    expect(created.status).toBe(201);
    await expect(
      octokit.rest.checks.update({
        owner: 'acme',
        repo: 'fleet',
        check_run_id: created.data.id,
        // @ts-expect-error: not one of GitHub's conclusions, to see the server refuse it
        conclusion: 'broken',
      }),
    ).rejects.toMatchObject({ status: 422 });
    const updated = await octokit.rest.checks.update({
      owner: 'acme',
      repo: 'fleet',
      check_run_id: created.data.id,
      conclusion: 'failure',
      output: { title: '1 bundle fails to render', summary: 'web: template error' },
    });
    expect(updated.data).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(github.checkRuns().find((run) => run.id === created.data.id)).toMatchObject({
      name: 'flotilla preview',
      head_sha: SHA,
      conclusion: 'failure',
      output: { title: '1 bundle fails to render' },
      updates: 1,
    });
  });

  it('waits out a secondary rate limit (retry-after) and then posts', async () => {
    github.addToken('ghp_secondary');
    const { octokit } = createGithubConnectionClient({
      credentials: { kind: 'token', token: 'ghp_secondary' },
      baseUrl: github.url,
    });
    const sha = 'd'.repeat(40);
    github.failNext({ kind: 'secondary-rate-limit', retryAfterSeconds: 1 }, 1, (request) =>
      request.path.endsWith(sha),
    );
    await octokit.rest.repos.createCommitStatus({
      owner: 'acme',
      repo: 'fleet',
      sha,
      state: 'pending',
    });
    expect(
      github
        .requests()
        .filter((request) => request.path.endsWith(sha))
        .map((request) => request.status),
    ).toEqual([403, 201]);
  });

  it('gives up on a rate limit that resets later than the caller waits, for its job to retry', async () => {
    github.addToken('ghp_patient');
    const { octokit } = createGithubConnectionClient({
      credentials: { kind: 'token', token: 'ghp_patient' },
      baseUrl: github.url,
      maxRateLimitWaitSeconds: 5,
    });
    const sha = 'e'.repeat(40);
    github.failNext({ kind: 'rate-limit', resetInSeconds: 600 }, 1, (request) =>
      request.path.endsWith(sha),
    );
    await expect(
      octokit.rest.repos.createCommitStatus({
        owner: 'acme',
        repo: 'fleet',
        sha,
        state: 'pending',
      }),
    ).rejects.toMatchObject({ status: 403 });
    expect(github.statuses('acme', 'fleet', sha)).toEqual([]);
  });
});

describe('the address policy', () => {
  it('never connects to a base URL that resolves to a refused address, token and all', async () => {
    github.addToken('ghp_policy');
    const { octokit } = createGithubConnectionClient({
      credentials: { kind: 'token', token: 'ghp_policy' },
      baseUrl: github.url.replace('127.0.0.1', 'localhost'),
      addressPolicy: createAddressPolicy({ denied: [...LOOPBACK_NETWORKS] }),
    });
    const before = github.requests().length;
    await expect(
      octokit.rest.repos.createCommitStatus({
        owner: 'acme',
        repo: 'fleet',
        sha: SHA,
        state: 'pending',
      }),
    ).rejects.toThrow(/loopback/);
    expect(github.requests().length).toBe(before);
  });
});

describe('GitHub App connection', () => {
  it('mints an installation token from the private key, reuses it, and mints another after it expires', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    github.addApp({
      appId: 4242,
      publicKey,
      installations: [{ id: 77, owner: 'acme' }],
      tokenLifetimeSeconds: 3,
    });
    const client = createGithubConnectionClient({
      credentials: {
        kind: 'app',
        appId: '4242',
        privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        installationId: 77,
      },
      baseUrl: github.url,
    });
    const post = (state: 'pending' | 'success') =>
      client.octokit.rest.repos.createCommitStatus({
        owner: 'acme',
        repo: 'fleet',
        sha: 'c'.repeat(40),
        state,
      });
    await post('pending');
    await post('pending');
    const minted = () =>
      github
        .requests()
        .filter((request) => request.operationId === 'apps/create-installation-access-token');
    expect(minted()).toHaveLength(1);
    expect(minted()[0]).toMatchObject({
      status: 201,
      authKind: 'app',
      params: { installation_id: '77' },
    });
    const firstToken = github.installationTokens()[0]?.token;
    expect(await client.cloneToken()).toBe(firstToken);

    const statusRequests = () =>
      github
        .requests()
        .filter(
          (request) =>
            request.operationId === 'repos/create-commit-status' &&
            request.authKind === 'installation',
        );
    expect(statusRequests().map((request) => request.credential)).toEqual([firstToken, firstToken]);

    // The server's tokens live 3 s: wait until the first one has expired there.
    const expiresAt = github.installationTokens()[0]?.expiresAt.getTime() ?? 0;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiresAt - Date.now()) + 100));
    await post('success');
    expect(minted()).toHaveLength(2);
    const secondToken = github.installationTokens()[1]?.token;
    expect(secondToken).not.toBe(firstToken);
    expect(statusRequests().at(-1)).toMatchObject({ credential: secondToken, status: 201 });
    expect(await client.cloneToken()).toBe(secondToken);
  });

  it('refuses a JWT signed by another key', async () => {
    const registered = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    github.addApp({
      appId: 5151,
      publicKey: registered.publicKey,
      installations: [{ id: 88, owner: 'acme' }],
    });
    const client = createGithubConnectionClient({
      credentials: {
        kind: 'app',
        appId: '5151',
        privateKey: other.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        installationId: 88,
      },
      baseUrl: github.url,
    });
    await expect(client.cloneToken()).rejects.toMatchObject({ status: 401 });
  });
});

describe('githubRepositoryOf', () => {
  it.each([
    ['https://github.com/acme/fleet.git', { owner: 'acme', repo: 'fleet' }],
    ['git@github.com:acme/fleet.git', { owner: 'acme', repo: 'fleet' }],
    ['https://ghe.example.com/org/team/', { owner: 'org', repo: 'team' }],
    ['https://github.com/', undefined],
    ['file:///tmp/repos/fleet.git', undefined],
  ])('%s', (url, expected) => {
    expect(githubRepositoryOf(url)).toEqual(expected);
  });
});
