import { Webhooks } from '@octokit/webhooks';
import { Octokit } from 'octokit';
import { z } from 'zod';

/**
 * Checks GitHub's X-Hub-Signature-256 (HMAC SHA-256 of the raw body) with octokit's verifier,
 * which compares in constant time. `rawBody` must be the bytes as received: a body parsed and
 * re-serialized no longer matches. A missing or malformed header is simply not valid.
 */
export async function verifyGithubSignature({
  secret,
  rawBody,
  signature,
}: {
  secret: string;
  rawBody: string | Uint8Array;
  signature: string | null | undefined;
}): Promise<boolean> {
  if (secret === '' || !signature?.startsWith('sha256=')) return false;
  const payload = typeof rawBody === 'string' ? rawBody : Buffer.from(rawBody).toString('utf8');
  if (payload === '') return false;
  return new Webhooks({ secret }).verify(payload, signature);
}

const commitId = z.string().regex(/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/, 'expected a full commit sha');

/** The fields of GitHub's push event that Flotilla uses; everything else in the payload is ignored. */
const pushEventSchema = z.object({
  ref: z.string().min(1),
  after: commitId,
  deleted: z.boolean().optional(),
  repository: z.object({
    clone_url: z.string().min(1),
    html_url: z.string().min(1),
    ssh_url: z.string().min(1),
    full_name: z.string().min(1),
  }),
});

export interface GithubPush {
  /** The full ref pushed, e.g. "refs/heads/main". */
  ref: string;
  /** The branch name when a branch was pushed. */
  branch?: string;
  /** The tag name when a tag was pushed. */
  tag?: string;
  /** The commit the ref points at now (all zeros when it was deleted). */
  after: string;
  isDeleted: boolean;
  repository: { cloneUrl: string; htmlUrl: string; sshUrl: string; fullName: string };
}

export type ParsePushResult = { ok: true; push: GithubPush } | { ok: false; error: string };

/** Parses a push event's body; a body that is not one says which field is wrong. */
export function parseGithubPush(rawBody: string): ParsePushResult {
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch (error) {
    return { ok: false, error: `the body is not JSON: ${(error as Error).message}` };
  }
  const parsed = pushEventSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`,
    );
    return { ok: false, error: `not a GitHub push event: ${problems.join('; ')}` };
  }
  const { ref, after, deleted, repository } = parsed.data;
  return {
    ok: true,
    push: {
      ref,
      ...(ref.startsWith('refs/heads/') ? { branch: ref.slice('refs/heads/'.length) } : {}),
      ...(ref.startsWith('refs/tags/') ? { tag: ref.slice('refs/tags/'.length) } : {}),
      after,
      isDeleted: deleted ?? false,
      repository: {
        cloneUrl: repository.clone_url,
        htmlUrl: repository.html_url,
        sshUrl: repository.ssh_url,
        fullName: repository.full_name,
      },
    },
  };
}

const URL_SCHEMES = new Set(['https:', 'http:', 'ssh:', 'git:', 'git+ssh:', 'ssh+git:']);

/**
 * One comparable key for the many ways to write a repository's URL, so a push (which names the
 * repository by its https, ssh and html URLs) can be matched to the GitRepos that follow it:
 * `https://github.com/Owner/Name.git`, `git@github.com:owner/name`, `ssh://git@github.com:22/owner/name/`
 * all give `github.com/owner/name`. Ports and users are dropped and the key is lower-case (GitHub
 * names are case-insensitive): matching too much costs one extra fetch, matching too little
 * leaves a repository stale. Undefined when `url` is not a repository URL.
 */
export function repoUrlKey(url: string): string | undefined {
  const trimmed = url.trim();
  let host: string;
  let repoPath: string;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) {
    let parsed: URL;
    try {
      parsed = new URL(trimmed);
    } catch {
      return undefined;
    }
    if (!URL_SCHEMES.has(parsed.protocol.toLowerCase())) return undefined;
    host = parsed.hostname;
    repoPath = parsed.pathname;
  } else {
    // scp-like syntax: [user@]host:path
    const scp = /^(?:[^@/\s]+@)?([^:/\s]+):(.+)$/.exec(trimmed);
    if (!scp?.[1] || !scp[2]) return undefined;
    host = scp[1];
    repoPath = scp[2];
  }
  const name = repoPath
    .replace(/\/+$/, '')
    .replace(/\.git$/i, '')
    .replace(/^\/+|\/+$/g, '');
  if (host === '' || name === '' || name.split('/').some((part) => part === '' || part === '..'))
    return undefined;
  return `${host.toLowerCase()}/${name.toLowerCase()}`;
}

export function createGithubClient({
  token,
  baseUrl,
  fetch,
}: {
  token: string;
  /** For GitHub Enterprise Server, e.g. https://github.example.com/api/v3. */
  baseUrl?: string;
  /** Replaces the global fetch (a proxy-aware one, or a recorder in tests). */
  fetch?: typeof globalThis.fetch;
}): Octokit {
  return new Octokit({
    auth: token,
    ...(baseUrl ? { baseUrl } : {}),
    ...(fetch ? { request: { fetch } } : {}),
  });
}

export type CommitState = 'pending' | 'success' | 'failure' | 'error';

export interface CommitStatus {
  owner: string;
  repo: string;
  sha: string;
  state: CommitState;
  description: string;
  /** Statuses with the same context replace each other on a commit. */
  context?: string;
  /** Where the status links to, e.g. the bundle's page in the dashboard. */
  targetUrl?: string;
}

/** GitHub refuses a status description longer than this. */
const MAX_DESCRIPTION = 140;

/** The request body for GitHub's "create a commit status" endpoint. */
export function commitStatusParams({
  owner,
  repo,
  sha,
  state,
  description,
  context = 'flotilla',
  targetUrl,
}: CommitStatus) {
  const text =
    description.length > MAX_DESCRIPTION
      ? `${description.slice(0, MAX_DESCRIPTION - 1)}…`
      : description;
  return {
    owner,
    repo,
    sha,
    state,
    description: text,
    context,
    ...(targetUrl ? { target_url: targetUrl } : {}),
  };
}

/** Reports a deploy state on a commit, as shown next to it on GitHub. */
export async function setCommitStatus({
  client,
  ...status
}: CommitStatus & { client: Octokit }): Promise<void> {
  await client.rest.repos.createCommitStatus(commitStatusParams(status));
}

const prRepository = z.object({
  full_name: z.string().min(1),
  clone_url: z.string().min(1),
});

/** The fields of GitHub's pull_request event that Flotilla uses. */
const pullRequestEventSchema = z.object({
  action: z.string().min(1),
  number: z.number().int().positive(),
  pull_request: z.object({
    title: z.string(),
    html_url: z.string().optional(),
    head: z.object({
      sha: commitId,
      ref: z.string(),
      // null when the fork has been deleted since
      repo: prRepository.nullable(),
    }),
    base: z.object({ sha: commitId, ref: z.string().min(1), repo: prRepository }),
  }),
  repository: z.object({
    clone_url: z.string().min(1),
    html_url: z.string().min(1),
    full_name: z.string().min(1),
  }),
});

export interface GithubPullRequest {
  /** opened, synchronize, reopened, closed, edited... */
  action: string;
  number: number;
  title: string;
  htmlUrl?: string;
  headSha: string;
  headRef: string;
  baseSha: string;
  baseRef: string;
  /** The head lives in another repository than the base (a fork, or a deleted fork). */
  isFork: boolean;
  repository: { cloneUrl: string; htmlUrl: string; fullName: string };
}

export type ParsePullRequestResult =
  { ok: true; pullRequest: GithubPullRequest } | { ok: false; error: string };

/** Parses a pull_request event's body; a body that is not one says which field is wrong. */
export function parseGithubPullRequest(rawBody: string): ParsePullRequestResult {
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch (error) {
    return { ok: false, error: `the body is not JSON: ${(error as Error).message}` };
  }
  const parsed = pullRequestEventSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`,
    );
    return { ok: false, error: `not a GitHub pull_request event: ${problems.join('; ')}` };
  }
  const { action, number, pull_request: pr, repository } = parsed.data;
  const headRepo = pr.head.repo?.full_name.toLowerCase();
  return {
    ok: true,
    pullRequest: {
      action,
      number,
      title: pr.title,
      ...(pr.html_url ? { htmlUrl: pr.html_url } : {}),
      headSha: pr.head.sha,
      headRef: pr.head.ref,
      baseSha: pr.base.sha,
      baseRef: pr.base.ref,
      isFork: headRepo !== pr.base.repo.full_name.toLowerCase(),
      repository: {
        cloneUrl: repository.clone_url,
        htmlUrl: repository.html_url,
        fullName: repository.full_name,
      },
    },
  };
}
