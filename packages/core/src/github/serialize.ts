import type { GithubCommitStatus, GithubConnection } from '@flotilla/db';

/** A repo's GitHub connection as the API shows it: never the token or the private key. */
export interface GithubConnectionDto {
  authKind: 'token' | 'app';
  baseUrl: string;
  /** owner/name on GitHub. */
  repository: string;
  appId: string | null;
  installationId: string | null;
  hasCredential: true;
  createdAt: string;
  updatedAt: string;
}

export interface GithubCommitStatusDto {
  commit: string;
  /** What the rollout of the commit says now. */
  state: 'pending' | 'success' | 'failure' | 'error';
  description: string;
  targetUrl: string | null;
  /** What GitHub last accepted for the commit, and when; null before the first post. */
  postedState: 'pending' | 'success' | 'failure' | 'error' | null;
  postedDescription: string | null;
  postedAt: string | null;
  /** Why the last post failed ("" when it worked). */
  lastError: string;
  lastAttemptAt: string | null;
  updatedAt: string;
}

export interface GithubSettingsDto {
  connection: GithubConnectionDto | null;
  /** The newest commit statuses of the repo, newest first. */
  statuses: GithubCommitStatusDto[];
}

export function toGithubConnectionDto(row: GithubConnection): GithubConnectionDto {
  return {
    authKind: row.authKind,
    baseUrl: row.baseUrl,
    repository: `${row.owner}/${row.repo}`,
    appId: row.appId,
    installationId: row.installationId,
    hasCredential: true,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toGithubCommitStatusDto(row: GithubCommitStatus): GithubCommitStatusDto {
  return {
    commit: row.commit,
    state: row.state,
    description: row.description,
    targetUrl: row.targetUrl,
    postedState: row.postedState,
    postedDescription: row.postedDescription,
    postedAt: row.postedAt?.toISOString() ?? null,
    lastError: row.lastError,
    lastAttemptAt: row.lastAttemptAt?.toISOString() ?? null,
    updatedAt: row.updatedAt.toISOString(),
  };
}
