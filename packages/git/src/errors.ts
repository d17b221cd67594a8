/**
 * Expected failures of a git operation. The message is safe to store and show: it is built from
 * git's stderr with URL userinfo and every credential we hold scrubbed out.
 */
export type GitErrorCode =
  'AuthFailed' | 'NotFound' | 'RefNotFound' | 'Unreachable' | 'Timeout' | 'InvalidUrl' | 'Failed';

export class GitError extends Error {
  override readonly name = 'GitError';

  constructor(
    readonly code: GitErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function isGitError(error: unknown): error is GitError {
  return error instanceof GitError;
}

/**
 * Why a path of a repository was not read. `PathEscapes` and `LimitExceeded` match the engine's
 * error codes of the same name.
 */
export type RepoTreeErrorCode = 'PathEscapes' | 'SymlinkLoop' | 'LimitExceeded';

/** Thrown when the repository as a whole breaks a limit (too many files, too many bytes). */
export class RepoTreeError extends Error {
  override readonly name = 'RepoTreeError';

  constructor(
    readonly code: RepoTreeErrorCode,
    message: string,
    /** The repository path it concerns; "" for the whole repository. */
    readonly path: string,
  ) {
    super(message);
  }
}

export function isRepoTreeError(error: unknown): error is RepoTreeError {
  return error instanceof RepoTreeError;
}
