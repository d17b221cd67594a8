export {
  createGitCache,
  type FetchRequest,
  type FetchResult,
  type GitCache,
  type GitCacheOptions,
  type LsRemoteRequest,
  type LsRemoteResult,
} from './git-cache.ts';
export {
  GitError,
  isGitError,
  isRepoTreeError,
  RepoTreeError,
  type GitErrorCode,
  type RepoTreeErrorCode,
} from './errors.ts';
export { scrubSecrets } from './git-failure.ts';
export {
  commitStatusParams,
  createGithubClient,
  parseGithubPullRequest,
  parseGithubPush,
  repoUrlKey,
  setCommitStatus,
  verifyGithubSignature,
  type CommitState,
  type CommitStatus,
  type GithubPullRequest,
  type GithubPush,
  type ParsePullRequestResult,
  type ParsePushResult,
} from './github.ts';
export {
  createGithubConnectionClient,
  createInstallationTokenCache,
  DEFAULT_GITHUB_API_URL,
  githubErrorStatus,
  githubRepositoryOf,
  type GithubClient,
  type GithubClientOptions,
  type GithubCredentials,
} from './github-client.ts';
export { createGuardedFetch } from './guarded-fetch.ts';
export {
  DEFAULT_READ_LIMITS,
  readRepoFiles,
  type ReadLimits,
  type ReadRepoFilesOptions,
  type RepoTree,
} from './read-tree.ts';
export { checkRemoteUrl, pinRemote, type RemotePolicyOptions } from './remote-policy.ts';
export { readRemoteRepository } from './read-remote-repository.ts';
export { parseRemoteUrl } from './remote-url.ts';
export type { RefusedPath } from './tree-plan.ts';
export type { GitAuth, GitLogger, RepoFiles } from './types.ts';
