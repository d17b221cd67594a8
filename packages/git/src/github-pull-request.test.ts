import { describe, expect, it } from 'vitest';
import { parseGithubPullRequest } from './github.ts';

const HEAD = 'a'.repeat(40);
const BASE = 'b'.repeat(40);

const event = (headRepo: { full_name: string; clone_url: string } | null) => ({
  action: 'synchronize',
  number: 12,
  pull_request: {
    title: 'Bump replicas',
    head: { sha: HEAD, ref: 'bump', repo: headRepo },
    base: {
      sha: BASE,
      ref: 'main',
      repo: { full_name: 'Acme/Fleet', clone_url: 'https://github.com/Acme/Fleet.git' },
    },
  },
  repository: {
    full_name: 'Acme/Fleet',
    clone_url: 'https://github.com/Acme/Fleet.git',
    html_url: 'https://github.com/Acme/Fleet',
  },
});

describe('parseGithubPullRequest', () => {
  it.each([
    ['the same repository (any case)', { full_name: 'acme/fleet', clone_url: 'x' }, false],
    ['a fork', { full_name: 'mallory/fleet', clone_url: 'x' }, true],
    ['a deleted fork (head.repo null)', null, true],
  ])('reads a PR from %s', (_, headRepo, isFork) => {
    const parsed = parseGithubPullRequest(JSON.stringify(event(headRepo)));
    expect(parsed).toEqual({
      ok: true,
      pullRequest: {
        action: 'synchronize',
        number: 12,
        title: 'Bump replicas',
        headSha: HEAD,
        headRef: 'bump',
        baseSha: BASE,
        baseRef: 'main',
        isFork,
        repository: {
          cloneUrl: 'https://github.com/Acme/Fleet.git',
          htmlUrl: 'https://github.com/Acme/Fleet',
          fullName: 'Acme/Fleet',
        },
      },
    });
  });

  it('says which field is wrong', () => {
    const bad = event(null);
    bad.pull_request.head.sha = 'main';
    expect(parseGithubPullRequest(JSON.stringify(bad))).toEqual({
      ok: false,
      error: 'not a GitHub pull_request event: pull_request.head.sha: expected a full commit sha',
    });
    expect(parseGithubPullRequest('{')).toMatchObject({ ok: false });
  });
});
