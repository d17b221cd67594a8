import { EngineError } from '../errors.ts';
import { remoteRepoKey, type RemoteBases, type RemoteReference } from '../kustomize/index.ts';
import type { RepoFiles } from '../types.ts';
import { missingRemoteBases, type RenderBundleInput } from './render-bundle.ts';

/** Bounds on what one copy of a bundle may pull in through remote kustomize bases. */
export const REMOTE_BASE_LIMITS = {
  /** Distinct remote repositories (URL + ref). */
  maxRepositories: 10,
  /** Remotes named by remotes named by ... the bundle's own kustomizations (depth 0). */
  maxDepth: 3,
} as const;

export interface ResolveRemoteBasesInput extends Pick<
  RenderBundleInput,
  'files' | 'bundlePath' | 'options' | 'customization'
> {
  /**
   * Reads one remote repository at a ref (the caller's I/O: the worker's Git cache, the CLI's).
   * A rejection becomes this copy's error, naming the kustomization file and the URL; its
   * message must not carry credentials.
   */
  fetchRepository: (reference: RemoteReference) => Promise<RepoFiles>;
  /** Repositories read for earlier copies of the bundle, by remoteRepoKey; filled in here. */
  fetched?: Map<string, RepoFiles> | undefined;
}

/**
 * The remote git bases one copy of a kustomize bundle needs (see missingRemoteBases), each
 * read once through `fetchRepository`, followed into the remotes they name in turn within
 * REMOTE_BASE_LIMITS. Pass the result to renderBundle as `remoteBases`; undefined when the copy
 * needs none. Throws EngineError (LimitExceeded, KustomizeFailed for a failed fetch).
 */
export async function resolveRemoteBases(
  input: ResolveRemoteBasesInput,
): Promise<RemoteBases | undefined> {
  const fetched = input.fetched ?? new Map<string, RepoFiles>();
  const remotes = new Map<string, RepoFiles>();
  for (;;) {
    const missing = missingRemoteBases({ ...input, remotes });
    if (missing.length === 0) return remotes.size > 0 ? remotes : undefined;
    for (const { reference, file, depth } of missing) {
      const url = withoutUserInfo(reference.raw);
      if (depth >= REMOTE_BASE_LIMITS.maxDepth) {
        throw new EngineError(
          'LimitExceeded',
          `${file}: remote base "${url}" is nested more than ${REMOTE_BASE_LIMITS.maxDepth} remotes deep`,
          file,
        );
      }
      if (remotes.size >= REMOTE_BASE_LIMITS.maxRepositories) {
        throw new EngineError(
          'LimitExceeded',
          `${file}: remote base "${url}" would be remote repository number ${remotes.size + 1}; at most ${REMOTE_BASE_LIMITS.maxRepositories} are read`,
          file,
        );
      }
      const key = remoteRepoKey(reference);
      let repoFiles = fetched.get(key);
      if (repoFiles === undefined) {
        try {
          repoFiles = await input.fetchRepository(reference);
        } catch (error) {
          if (error instanceof EngineError) throw error;
          const why = error instanceof Error ? error.message : String(error);
          throw new EngineError(
            'KustomizeFailed',
            `${file}: remote base "${url}" cannot be fetched: ${why}`,
            file,
          );
        }
        fetched.set(key, repoFiles);
      }
      remotes.set(key, repoFiles);
    }
  }
}

/** A URL as written may carry user:password@; messages never show it. */
function withoutUserInfo(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1');
}
