import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  commitStatusParams,
  createGithubClient,
  parseGithubPush,
  repoUrlKey,
  setCommitStatus,
  verifyGithubSignature,
} from './github.ts';

const SHA = '0123456789abcdef0123456789abcdef01234567';

function signatureOf(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

describe('verifyGithubSignature', () => {
  const secret = 'webhook-secret';
  const body = JSON.stringify({ ref: 'refs/heads/main', after: SHA });

  it.each([
    {
      name: 'the signature GitHub sends',
      rawBody: body,
      signature: signatureOf(secret, body),
      expected: true,
    },
    {
      name: 'the raw bytes as a Buffer',
      rawBody: Buffer.from(body),
      signature: signatureOf(secret, body),
      expected: true,
    },
    {
      name: 'a body changed after signing',
      rawBody: `${body} `,
      signature: signatureOf(secret, body),
      expected: false,
    },
    {
      name: 'another secret',
      rawBody: body,
      signature: signatureOf('other', body),
      expected: false,
    },
    { name: 'no header', rawBody: body, signature: undefined, expected: false },
    { name: 'an empty header', rawBody: body, signature: '', expected: false },
    {
      name: 'the old SHA-1 header',
      rawBody: body,
      signature: `sha1=${createHmac('sha1', secret).update(body).digest('hex')}`,
      expected: false,
    },
    {
      name: 'a truncated signature',
      rawBody: body,
      signature: signatureOf(secret, body).slice(0, 20),
      expected: false,
    },
  ])('$name -> $expected', async ({ rawBody, signature, expected }) => {
    expect(await verifyGithubSignature({ secret, rawBody, signature })).toBe(expected);
  });

  it('accepts nothing when the repository has no secret', async () => {
    expect(
      await verifyGithubSignature({ secret: '', rawBody: body, signature: signatureOf('', body) }),
    ).toBe(false);
  });
});

describe('parseGithubPush', () => {
  const event = {
    ref: 'refs/heads/main',
    before: '0000000000000000000000000000000000000000',
    after: SHA,
    deleted: false,
    repository: {
      full_name: 'acme/fleet',
      clone_url: 'https://github.com/acme/fleet.git',
      html_url: 'https://github.com/acme/fleet',
      ssh_url: 'git@github.com:acme/fleet.git',
      private: true,
    },
    pusher: { name: 'alice' },
  };

  it('reads the ref, the new commit and the URLs of the repository', () => {
    expect(parseGithubPush(JSON.stringify(event))).toEqual({
      ok: true,
      push: {
        ref: 'refs/heads/main',
        branch: 'main',
        after: SHA,
        isDeleted: false,
        repository: {
          cloneUrl: 'https://github.com/acme/fleet.git',
          htmlUrl: 'https://github.com/acme/fleet',
          sshUrl: 'git@github.com:acme/fleet.git',
          fullName: 'acme/fleet',
        },
      },
    });
  });

  it('names the tag of a tag push', () => {
    const result = parseGithubPush(JSON.stringify({ ...event, ref: 'refs/tags/v1.2.0' }));
    expect(result.ok && result.push.tag).toBe('v1.2.0');
    expect(result.ok && result.push.branch).toBeUndefined();
  });

  it.each([
    { name: 'a body that is not JSON', body: '{"ref": ', message: /^the body is not JSON/ },
    {
      name: 'a ping event',
      body: JSON.stringify({ zen: 'Keep it logically awesome.', hook_id: 1 }),
      message: /^not a GitHub push event: ref: .*; after: .*; repository: /,
    },
    {
      name: 'a short commit id',
      body: JSON.stringify({ ...event, after: 'abc123' }),
      message: /^not a GitHub push event: after: expected a full commit sha$/,
    },
    {
      name: 'a repository without clone URL',
      body: JSON.stringify({ ...event, repository: { ...event.repository, clone_url: undefined } }),
      message: /^not a GitHub push event: repository\.clone_url: /,
    },
  ])('refuses $name and says why', ({ body, message }) => {
    const result = parseGithubPush(body);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(message);
  });
});

describe('repoUrlKey', () => {
  it.each([
    ['https://github.com/acme/fleet', 'github.com/acme/fleet'],
    ['https://github.com/acme/fleet.git', 'github.com/acme/fleet'],
    ['https://github.com/Acme/Fleet.git/', 'github.com/acme/fleet'],
    ['https://GitHub.com:443/acme/fleet', 'github.com/acme/fleet'],
    ['http://github.com/acme/fleet', 'github.com/acme/fleet'],
    ['git@github.com:acme/fleet.git', 'github.com/acme/fleet'],
    ['github.com:acme/fleet', 'github.com/acme/fleet'],
    ['ssh://git@github.com/acme/fleet.git', 'github.com/acme/fleet'],
    ['ssh://git@github.com:22/acme/fleet', 'github.com/acme/fleet'],
    ['git://github.com/acme/fleet.git', 'github.com/acme/fleet'],
    ['https://gitlab.example.com/group/sub/project.git', 'gitlab.example.com/group/sub/project'],
    ['  https://github.com/acme/fleet  ', 'github.com/acme/fleet'],
  ])('%s -> %s', (url, key) => {
    expect(repoUrlKey(url)).toBe(key);
  });

  it.each(['', 'not a url', 'https://github.com/', 'ftp://github.com/acme/fleet'])(
    '%j has no key',
    (url) => {
      expect(repoUrlKey(url)).toBeUndefined();
    },
  );

  it('tells different repositories apart', () => {
    expect(repoUrlKey('https://github.com/acme/fleet')).not.toBe(
      repoUrlKey('https://github.com/acme/fleet-infra'),
    );
  });
});

describe('commit statuses', () => {
  it("shapes the request: flotilla context by default, description cut to GitHub's 140 characters", () => {
    const params = commitStatusParams({
      owner: 'acme',
      repo: 'fleet',
      sha: SHA,
      state: 'failure',
      description: 'x'.repeat(200),
    });
    expect(params).toEqual({
      owner: 'acme',
      repo: 'fleet',
      sha: SHA,
      state: 'failure',
      context: 'flotilla',
      description: `${'x'.repeat(139)}…`,
    });
    expect(params.description).toHaveLength(140);
    expect(
      commitStatusParams({
        owner: 'acme',
        repo: 'fleet',
        sha: SHA,
        state: 'success',
        description: 'Ready on 3 clusters',
        context: 'flotilla/web',
        targetUrl: 'https://flotilla.example.com/bundles/1',
      }),
    ).toMatchObject({
      context: 'flotilla/web',
      target_url: 'https://flotilla.example.com/bundles/1',
    });
  });

  it('posts the status with the token through octokit', async () => {
    const requests: { url: string; method: string; headers: Headers; body: unknown }[] = [];
    const recorder: typeof fetch = async (input, init) => {
      requests.push({
        url: String(input),
        method: init?.method ?? 'GET',
        headers: new Headers(init?.headers),
        body: JSON.parse(String(init?.body)),
      });
      return new Response(JSON.stringify({ id: 1, state: 'success' }), {
        status: 201,
        headers: { 'content-type': 'application/json' },
      });
    };
    const client = createGithubClient({ token: 'ghs_installation', fetch: recorder });
    await setCommitStatus({
      client,
      owner: 'acme',
      repo: 'fleet',
      sha: SHA,
      state: 'success',
      description: 'Ready',
    });

    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      url: `https://api.github.com/repos/acme/fleet/statuses/${SHA}`,
      method: 'POST',
      body: { state: 'success', description: 'Ready', context: 'flotilla' },
    });
    expect(requests[0]?.headers.get('authorization')).toBe('token ghs_installation');
  });
});
