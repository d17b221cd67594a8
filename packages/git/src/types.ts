/**
 * The files of one repository at one commit, keyed by POSIX path relative to the repository
 * root. Declared here with the same shape as `RepoFiles` in packages/engine/src/types.ts (the
 * engine's index is written later); the two are structurally identical, so either can be used
 * where the other is expected.
 */
export type RepoFiles = ReadonlyMap<string, string>;

/**
 * What this package logs through: a subset of pino's Logger, so the worker's logger fits as is.
 * Nothing logged here ever holds a credential: git's arguments and URLs carry none.
 */
export interface GitLogger {
  debug: (fields: Record<string, unknown>, message: string) => void;
  info: (fields: Record<string, unknown>, message: string) => void;
  warn: (fields: Record<string, unknown>, message: string) => void;
}

/** Credentials for an HTTPS remote. A token alone is sent as GitHub expects: user `x-access-token`. */
export interface GitAuth {
  username?: string;
  password?: string;
  token?: string;
}
