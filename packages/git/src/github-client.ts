import { createAppAuth } from '@octokit/auth-app';
import type { AddressPolicy } from '@flotilla/net';
import { Octokit, RequestError } from 'octokit';
import { createGuardedFetch } from './guarded-fetch.ts';

/** How Flotilla authenticates to GitHub for one repository. */
export type GithubCredentials =
  | { kind: 'token'; token: string }
  | { kind: 'app'; appId: string; privateKey: string; installationId: number };

export const DEFAULT_GITHUB_API_URL = 'https://api.github.com';

export interface GithubClientOptions {
  credentials: GithubCredentials;
  /** https://api.github.com, or a GitHub Enterprise Server's https://HOST/api/v3. */
  baseUrl?: string;
  /**
   * How requests are sent; by default through the outbound address policy (createGuardedFetch),
   * so the token only goes to an allowed address.
   */
  fetch?: typeof globalThis.fetch;
  /** The policy of the default fetch; the process's (currentAddressPolicy) when absent. */
  addressPolicy?: AddressPolicy;
  /** Longest wait for a rate limit to reset before giving the failure to the caller (60 s). */
  maxRateLimitWaitSeconds?: number;
  /** Quick in-request retries of a 5xx (1); the caller's job retries with backoff beyond. */
  retries?: number;
  /**
   * Whose request budget this client spends (a connection's id). octokit's throttling spaces
   * writes one second apart (GitHub's guidance against secondary rate limits) per id, process
   * wide: without one, every client of the process would share a single queue.
   */
  throttleId?: string;
  now?: () => number;
}

export interface GithubClient {
  octokit: Octokit;
  /**
   * A token that also clones the repository over HTTPS (user `x-access-token`): the personal
   * token, or the app's current installation token (minted or taken from the cache).
   */
  cloneToken: () => Promise<string>;
}

/**
 * auth-app keeps installation tokens in an LRU for 59 minutes whatever their expires_at says
 * (GitHub's default lifetime is one hour, but an Enterprise server or a revoked token may differ).
 * This cache reads the stored expires_at and drops a token shortly before it expires, so the
 * next request mints a new one. The margin is a tenth of the token's life, at most a minute.
 */
export function createInstallationTokenCache(now: () => number = Date.now) {
  const entries = new Map<string, string>();
  return {
    get(key: string): string | undefined {
      const value = entries.get(key);
      if (!value) return undefined;
      // auth-app's layout: token|createdAt|expiresAt|repositorySelection|permissions|singleFile
      const [, createdAt, expiresAt] = value.split('|');
      const expires = Date.parse(expiresAt ?? '');
      const created = Date.parse(createdAt ?? '');
      if (!Number.isFinite(expires)) return undefined;
      const life = Number.isFinite(created) ? expires - created : 3_600_000;
      const margin = Math.min(60_000, Math.max(0, life) / 10);
      if (expires - margin <= now()) {
        entries.delete(key);
        return undefined;
      }
      return value;
    },
    set(key: string, value: string): void {
      entries.set(key, value);
    },
  };
}

/**
 * An octokit client for one GitHub connection, with octokit's throttling and retry plugins:
 * a primary or secondary rate limit is waited out when the reset is near (else the error goes to
 * the caller, whose job retries later), and a 5xx is retried once. A GitHub App connection
 * authenticates with auth-app: a JWT signed by the private key mints installation tokens, which
 * are cached until shortly before their expires_at and minted again after.
 */
export function createGithubConnectionClient({
  credentials,
  baseUrl = DEFAULT_GITHUB_API_URL,
  addressPolicy,
  fetch = createGuardedFetch(addressPolicy ? { policy: addressPolicy } : {}),
  maxRateLimitWaitSeconds = 60,
  retries = 1,
  throttleId,
  now = Date.now,
}: GithubClientOptions): GithubClient {
  const onLimit = (retryAfter: number, options: { request: { retryCount: number } }) =>
    retryAfter <= maxRateLimitWaitSeconds && options.request.retryCount < 2;
  const common = {
    baseUrl: baseUrl.replace(/\/+$/, ''),
    userAgent: 'flotilla',
    // Not `request.retries`: plugin-retry's limiter would then retry every error at once, 403s too.
    request: { fetch },
    retry: { retries },
    throttle: {
      onRateLimit: onLimit,
      onSecondaryRateLimit: onLimit,
      ...(throttleId ? { id: throttleId } : {}),
    },
    // octokit logs every retry through console by default; the caller records the outcome.
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  };
  if (credentials.kind === 'token') {
    const octokit = new Octokit({ ...common, auth: credentials.token });
    return { octokit, cloneToken: async () => credentials.token };
  }
  const octokit = new Octokit({
    ...common,
    authStrategy: createAppAuth,
    auth: {
      appId: credentials.appId,
      privateKey: credentials.privateKey,
      installationId: credentials.installationId,
      cache: createInstallationTokenCache(now),
    },
  });
  return {
    octokit,
    cloneToken: async () => {
      const authentication = (await octokit.auth({ type: 'installation' })) as { token: string };
      return authentication.token;
    },
  };
}

/**
 * owner and name of a GitHub repository from its clone URL (https, ssh or scp-like), or
 * undefined when the URL does not end in OWNER/NAME.
 */
export function githubRepositoryOf(url: string): { owner: string; repo: string } | undefined {
  const trimmed = url
    .trim()
    .replace(/\/+$/, '')
    .replace(/\.git$/i, '');
  // A local path names no repository on GitHub.
  if (/^file:/i.test(trimmed)) return undefined;
  const path = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)
    ? (() => {
        try {
          return new URL(trimmed).pathname;
        } catch {
          return '';
        }
      })()
    : (/^(?:[^@/\s]+@)?[^:/\s]+:(.+)$/.exec(trimmed)?.[1] ?? '');
  const parts = path.split('/').filter(Boolean);
  const owner = parts.at(-2);
  const repo = parts.at(-1);
  if (!owner || !repo || owner === '..' || repo === '..') return undefined;
  return { owner, repo };
}

/** The HTTP status GitHub answered with, when the error is one of octokit's request errors. */
export function githubErrorStatus(error: unknown): number | undefined {
  return error instanceof RequestError ? error.status : undefined;
}
