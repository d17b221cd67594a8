import { access, mkdir, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { basicCredentials, createAskpass } from './askpass.ts';
import { GitError, type GitErrorCode } from './errors.ts';
import { classifyGitFailure, scrubSecrets, summarizeStderr } from './git-failure.ts';
import { gitEnvironment, runGit, type GitRunResult } from './git-process.ts';
import { createKeyedMutex } from './keyed-mutex.ts';
import { readRepoFiles, type ReadLimits, type RepoTree } from './read-tree.ts';
import type { AddressPolicy, ResolveHost } from '@flotilla/net';
import { checkRemoteUrl, pinRemote } from './remote-policy.ts';
import { isValidRefName, type RemoteUrl } from './remote-url.ts';
import type { GitAuth, GitLogger } from './types.ts';

export interface GitCacheOptions {
  /** Folder holding one bare repository per GitRepo. One process should own it at a time. */
  dir: string;
  /** For one whole fetch, however many git commands it takes. */
  timeoutMs?: number;
  logger?: GitLogger;
  /** Accept file:// URLs (tests and the demo); never for user-supplied repositories in production. */
  allowFileUrls?: boolean;
  /** Plain http:// beyond loopback (FLOTILLA_ALLOW_INSECURE_GIT); see remote-policy.ts. */
  allowInsecureHttp?: boolean;
  /** The outbound address policy; the process's (configureAddressPolicy) when unset. */
  addressPolicy?: AddressPolicy;
  /** How host names are resolved before each fetch (tests stand in a rebinding DNS here). */
  resolveHost?: ResolveHost;
  /** Shallow fetches of this many commits; full history when unset. */
  depth?: number;
  /** Environment passed on to git: PATH, HTTPS_PROXY, NO_PROXY, GIT_SSL_CAINFO... */
  env?: Readonly<Record<string, string>>;
}

export interface FetchRequest {
  /** The GitRepo's id; names its cache folder, so only letters, digits, "-" and "_". */
  repoId: string;
  url: string;
  /** The branch to follow; the remote's default branch (HEAD) when neither this nor `revision` is set. */
  branch?: string;
  /** A pinned full commit sha or tag; wins over `branch`. */
  revision?: string;
  /**
   * A GitHub pull request's head (`refs/pull/N/head` on the base repository, where GitHub keeps
   * the head of every PR, forks included); wins over `revision` and `branch`.
   */
  pullRequest?: number;
  auth?: GitAuth;
}

export interface FetchResult {
  commit: string;
  /** The cache repository, for `readRepoFiles({ gitDir })`. */
  gitDir: string;
}

export interface LsRemoteRequest {
  url: string;
  /** The branch to look for; the remote's default branch (HEAD) when neither this nor `revision` is set. */
  branch?: string;
  /** A tag or full commit sha; wins over `branch`. A sha is not listed by a remote: only reachability is checked. */
  revision?: string;
  auth?: GitAuth;
  /** Shorter than a fetch's budget: a person waits for it in a form. */
  timeoutMs?: number;
}

export interface LsRemoteResult {
  /** What was looked for, in words: `branch "main"`, `the default branch (HEAD)`... */
  what: string;
  /** The commit it points at; undefined for a pinned commit (a remote does not list shas). */
  commit?: string;
}

export interface GitCache {
  /**
   * `git ls-remote` with the same policy, environment and credentials handling as `fetch`,
   * touching no cache folder ("Test connection"). Throws a `GitError` (RefNotFound when the
   * remote answers without the branch or tag).
   */
  lsRemote: (request: LsRemoteRequest) => Promise<LsRemoteResult>;
  /**
   * Fetches what `request` names into the repository's cache and returns its commit. A failure
   * throws a `GitError` and changes nothing in the cache, so the last good commit stays readable.
   */
  fetch: (request: FetchRequest) => Promise<FetchResult>;
  gitDirFor: (repoId: string) => string;
  /** `readRepoFiles` on a repository's cache. */
  readFiles: (options: {
    repoId: string;
    commit: string;
    limits?: Partial<ReadLimits>;
    under?: readonly string[];
    keepBinary?: (path: string) => boolean;
  }) => Promise<RepoTree>;
  /**
   * The paths whose content differs between two commits of a repository's cache (added,
   * removed or changed; `git diff-tree`), or undefined when the cache cannot tell (a commit it
   * does not hold, after a force push or on another worker's cache).
   */
  changedPaths: (options: {
    repoId: string;
    from: string;
    to: string;
  }) => Promise<string[] | undefined>;
}

/** A --git-dir that does not exist, for git commands that need no repository (ls-remote). */
const NO_REPOSITORY = '/nonexistent/flotilla-no-repository';
const REPO_ID = /^[A-Za-z0-9_-]{1,128}$/;
const FULL_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i;

type Target =
  | { kind: 'head' }
  | { kind: 'branch'; branch: string }
  | { kind: 'tag'; tag: string }
  | { kind: 'commit'; sha: string }
  | { kind: 'pull'; number: number };

function targetOf({ branch, revision, pullRequest }: FetchRequest): Target {
  if (pullRequest !== undefined) {
    if (!Number.isSafeInteger(pullRequest) || pullRequest < 1)
      throw new GitError('RefNotFound', `pull request "${pullRequest}" is not a PR number`);
    return { kind: 'pull', number: pullRequest };
  }
  if (revision !== undefined && revision !== '') {
    if (FULL_SHA.test(revision)) return { kind: 'commit', sha: revision.toLowerCase() };
    if (!isValidRefName(revision)) {
      throw new GitError(
        'RefNotFound',
        `revision "${revision}" is neither a full commit sha nor a valid tag name`,
      );
    }
    return { kind: 'tag', tag: revision };
  }
  if (branch !== undefined && branch !== '') {
    if (!isValidRefName(branch))
      throw new GitError('RefNotFound', `"${branch}" is not a valid branch name`);
    return { kind: 'branch', branch };
  }
  return { kind: 'head' };
}

function describe(target: Target): string {
  switch (target.kind) {
    case 'head':
      return 'the default branch (HEAD)';
    case 'branch':
      return `branch "${target.branch}"`;
    case 'tag':
      return `tag "${target.tag}"`;
    case 'commit':
      return `commit ${target.sha}`;
    case 'pull':
      return `pull request #${target.number}`;
  }
}

/** Where each kind of target lands in the cache; refs keep the fetched commits from being pruned. */
function localRef(target: Target): string {
  switch (target.kind) {
    case 'head':
      return 'refs/flotilla/HEAD';
    case 'branch':
      return `refs/flotilla/branches/${target.branch}`;
    case 'tag':
      return `refs/flotilla/tags/${target.tag}`;
    case 'commit':
      return `refs/flotilla/commits/${target.sha}`;
    case 'pull':
      return `refs/flotilla/pulls/${target.number}`;
  }
}

function remoteRef(target: Target): string {
  switch (target.kind) {
    case 'head':
      return 'HEAD';
    case 'branch':
      return `refs/heads/${target.branch}`;
    case 'tag':
      return `refs/tags/${target.tag}`;
    case 'commit':
      return target.sha;
    case 'pull':
      return `refs/pull/${target.number}/head`;
  }
}

const FAILURE_WORDING: Record<GitErrorCode, string> = {
  AuthFailed: 'authentication failed',
  NotFound: 'repository not found',
  RefNotFound: 'not found',
  Unreachable: 'cannot reach the server',
  Timeout: 'timed out',
  InvalidUrl: 'URL not allowed',
  Failed: 'git failed',
};

/**
 * Lock files older than a fetch's whole time budget cannot belong to a running fetch: they are
 * what a killed git (a timeout, a crashed worker) left behind, and git would refuse every later
 * fetch while they exist.
 */
async function removeStaleLocks(gitDir: string, olderThanMs: number): Promise<void> {
  const now = Date.now();
  const candidates = [
    ...(await readdir(gitDir).catch(() => [])),
    ...(await readdir(path.join(gitDir, 'refs'), { recursive: true }).catch(() => [])).map((name) =>
      path.join('refs', name),
    ),
  ].filter((name) => name.endsWith('.lock'));
  for (const name of candidates) {
    const file = path.join(gitDir, name);
    const info = await stat(file).catch(() => undefined);
    if (info && now - info.mtimeMs >= olderThanMs) await rm(file, { force: true });
  }
}

export function createGitCache({
  dir,
  timeoutMs = 60_000,
  logger,
  allowFileUrls = false,
  allowInsecureHttp = false,
  addressPolicy,
  resolveHost,
  depth,
  env: baseEnv,
}: GitCacheOptions): GitCache {
  const remotePolicy = {
    allowInsecureHttp,
    ...(addressPolicy ? { policy: addressPolicy } : {}),
  };
  const runExclusive = createKeyedMutex();

  const gitDirFor = (repoId: string): string => {
    if (!REPO_ID.test(repoId)) throw new TypeError(`repoId "${repoId}" cannot name a cache folder`);
    return path.join(dir, `${repoId}.git`);
  };

  async function fetchInto(
    request: FetchRequest,
    remote: RemoteUrl,
    target: Target,
    gitDir: string,
  ): Promise<string> {
    const credentials = basicCredentials(request.auth);
    const secrets = [credentials?.password, request.auth?.password, request.auth?.token];
    const askpass = credentials ? await createAskpass(remote, credentials) : undefined;
    const env = gitEnvironment(baseEnv, {
      GIT_ALLOW_PROTOCOL: allowFileUrls ? 'https:http:file' : 'https:http',
      ...askpass?.env,
    });
    const deadline = Date.now() + timeoutMs;
    const context = { repoId: request.repoId };

    const git = (args: string[]): Promise<GitRunResult> =>
      runGit({
        args: ['--git-dir', gitDir, ...args],
        env,
        timeoutMs: Math.max(1, deadline - Date.now()),
        logger,
        context,
      });

    const failure = async (result: GitRunResult, what: string): Promise<GitError> => {
      if (result.isTimedOut) {
        await removeStaleLocks(gitDir, 0);
        return new GitError(
          'Timeout',
          `fetching ${what} from ${remote.url} took longer than ${timeoutMs} ms`,
        );
      }
      const code = classifyGitFailure(result.stderr);
      const redirect = /returned error: (30[1-8])\b/.exec(result.stderr)?.[1];
      if (redirect) {
        return new GitError(
          'InvalidUrl',
          `${remote.url} answered with a redirect (HTTP ${redirect}); redirects are not followed: use the repository's final URL`,
        );
      }
      // A missing ref is said in full by the subject; git's "couldn't find remote ref
      // refs/heads/x" would only repeat the name and the path.
      if (code === 'RefNotFound')
        return new GitError(
          code,
          scrubSecrets(`${what} ${FAILURE_WORDING[code]} in ${remote.url}`, secrets),
        );
      const detail = scrubSecrets(summarizeStderr(result.stderr), secrets);
      return new GitError(
        code,
        scrubSecrets(`${FAILURE_WORDING[code]} for ${remote.url}: ${detail}`, secrets),
      );
    };

    const configuredDepth = depth === undefined ? [] : [`--depth=${depth}`];
    const fetchRefspecs = async (
      refspecs: string[],
      what: string,
      depthOptions = configuredDepth,
    ) => {
      // Resolved and checked for each fetch, right before git runs: see remote-policy.ts.
      const pin = await pinRemote(remote, {
        ...remotePolicy,
        ...(resolveHost ? { resolveHost } : {}),
      });
      const result = await git([
        ...pin,
        'fetch',
        '--quiet',
        '--no-tags',
        '--prune',
        '--no-write-fetch-head',
        ...depthOptions,
        '--',
        remote.url,
        ...refspecs,
      ]);
      if (result.code !== 0) throw await failure(result, what);
    };

    const resolve = async (ref: string): Promise<string | undefined> => {
      const result = await git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
      return result.code === 0 ? result.stdout.toString('utf8').trim() : undefined;
    };

    try {
      if (await pathExists(path.join(gitDir, 'HEAD'))) {
        await removeStaleLocks(gitDir, timeoutMs);
      } else {
        await mkdir(gitDir, { recursive: true });
        const init = await runGit({
          args: ['-c', 'init.defaultBranch=main', 'init', '--quiet', '--bare', gitDir],
          env,
          timeoutMs,
          logger,
          context,
        });
        if (init.code !== 0)
          throw new GitError(
            'Failed',
            `cannot create the cache repository: ${summarizeStderr(init.stderr)}`,
          );
      }

      const what = describe(target);
      if (target.kind === 'commit') {
        // A pinned commit never changes: once in the cache it needs no network at all.
        if (await resolve(target.sha)) return target.sha;
        try {
          await fetchRefspecs([`+${target.sha}:${localRef(target)}`], what);
        } catch (error) {
          if (!(error instanceof GitError) || error.code !== 'RefNotFound') throw error;
          // Servers that refuse to serve a commit by id (no allowReachableSHA1InWant over
          // protocol v0) still serve their branches and tags; the commit may be among them.
          const isShallow = await pathExists(path.join(gitDir, 'shallow'));
          await fetchRefspecs(
            ['+refs/heads/*:refs/flotilla/all/heads/*', '+refs/tags/*:refs/flotilla/all/tags/*'],
            what,
            isShallow ? ['--unshallow'] : [],
          );
          if (!(await resolve(target.sha)))
            throw new GitError('RefNotFound', `${what} not found in ${remote.url}`);
          await git(['update-ref', localRef(target), target.sha]);
        }
        const commit = await resolve(target.sha);
        if (!commit) throw new GitError('RefNotFound', `${what} not found in ${remote.url}`);
        return commit;
      }

      await fetchRefspecs([`+${remoteRef(target)}:${localRef(target)}`], what);
      const commit = await resolve(localRef(target));
      if (!commit)
        throw new GitError('RefNotFound', `${what} of ${remote.url} does not point at a commit`);
      return commit;
    } finally {
      await askpass?.dispose();
    }
  }

  async function lsRemote(request: LsRemoteRequest): Promise<LsRemoteResult> {
    const remote = checkRemoteUrl(request.url, { allowFileUrls, ...remotePolicy });
    const target = targetOf({ repoId: 'ls-remote', ...request });
    const what = describe(target);
    const budgetMs = request.timeoutMs ?? timeoutMs;
    const credentials = basicCredentials(request.auth);
    const secrets = [credentials?.password, request.auth?.password, request.auth?.token];
    const askpass = credentials ? await createAskpass(remote, credentials) : undefined;
    try {
      const pin = await pinRemote(remote, {
        ...remotePolicy,
        ...(resolveHost ? { resolveHost } : {}),
      });
      const patterns =
        target.kind === 'commit'
          ? ['HEAD']
          : target.kind === 'tag'
            ? [remoteRef(target), `${remoteRef(target)}^{}`]
            : [remoteRef(target)];
      const result = await runGit({
        // No repository at all: the process's working folder may be one, and its config
        // (url rewrites, credential helpers) must not apply.
        args: ['--git-dir', NO_REPOSITORY, ...pin, 'ls-remote', '--', remote.url, ...patterns],
        env: gitEnvironment(baseEnv, {
          GIT_ALLOW_PROTOCOL: allowFileUrls ? 'https:http:file' : 'https:http',
          ...askpass?.env,
        }),
        timeoutMs: budgetMs,
        logger,
        context: { lsRemote: remote.url },
      });
      if (result.isTimedOut) {
        throw new GitError('Timeout', `${remote.url} did not answer within ${budgetMs} ms`);
      }
      if (result.code !== 0) {
        const code = classifyGitFailure(result.stderr);
        const detail = scrubSecrets(summarizeStderr(result.stderr), secrets);
        throw new GitError(
          code,
          scrubSecrets(`${FAILURE_WORDING[code]} for ${remote.url}: ${detail}`, secrets),
        );
      }
      if (target.kind === 'commit') return { what };
      const refs = new Map(
        result.stdout
          .toString('utf8')
          .split('\n')
          .map((line) => line.split('\t'))
          .filter((parts): parts is [string, string] => parts.length === 2)
          .map(([sha, ref]) => [ref.trim(), sha.trim()]),
      );
      const ref = remoteRef(target);
      const commit = refs.get(`${ref}^{}`) ?? refs.get(ref);
      if (!commit) throw new GitError('RefNotFound', `${what} not found in ${remote.url}`);
      return { what, commit };
    } finally {
      await askpass?.dispose();
    }
  }

  return {
    gitDirFor,
    lsRemote,

    fetch: async (request) => {
      const remote = checkRemoteUrl(request.url, { allowFileUrls, ...remotePolicy });
      const target = targetOf(request);
      const gitDir = gitDirFor(request.repoId);
      return runExclusive(request.repoId, async () => {
        try {
          const commit = await fetchInto(request, remote, target, gitDir);
          logger?.info({ repoId: request.repoId, url: remote.url, commit }, 'fetched');
          return { commit, gitDir };
        } catch (error) {
          if (error instanceof GitError) {
            logger?.warn(
              { repoId: request.repoId, url: remote.url, code: error.code, error: error.message },
              'git fetch failed',
            );
          }
          throw error;
        }
      });
    },

    changedPaths: async ({ repoId, from, to }) => {
      if (!FULL_SHA.test(from) || !FULL_SHA.test(to)) return undefined;
      const result = await runGit({
        args: [
          '--git-dir',
          gitDirFor(repoId),
          'diff-tree',
          '-r',
          '-z',
          '--name-only',
          '--no-renames',
          from,
          to,
        ],
        env: gitEnvironment(baseEnv),
        timeoutMs,
        logger,
        context: { repoId },
      });
      if (result.isTimedOut || result.code !== 0) return undefined;
      return result.stdout
        .toString('utf8')
        .split('\0')
        .filter((path) => path !== '');
    },

    readFiles: ({ repoId, commit, limits, under, keepBinary }) =>
      readRepoFiles({
        gitDir: gitDirFor(repoId),
        commit,
        limits,
        under,
        keepBinary,
        timeoutMs,
        env: baseEnv,
        logger,
      }),
  };
}

async function pathExists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}
