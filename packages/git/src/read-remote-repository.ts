import { createHash } from 'node:crypto';
import { GitError } from './errors.ts';
import type { GitCache } from './git-cache.ts';
import type { ReadLimits } from './read-tree.ts';
import type { RepoFiles } from './types.ts';

/**
 * The files of a repository named by a URL and a ref that may be a tag, a commit or a branch
 * (kustomize's `?ref=`), read through the Git cache and therefore under its address policy.
 * No credentials are sent. One cache folder per URL, so its refs share objects. Throws
 * GitError or RepoTreeError.
 */
export async function readRemoteRepository({
  git,
  url,
  ref,
  limits,
}: {
  git: Pick<GitCache, 'fetch' | 'readFiles'>;
  url: string;
  /** "" for the remote's default branch. */
  ref: string;
  limits?: Partial<ReadLimits>;
}): Promise<RepoFiles> {
  const repoId = `remote-${createHash('sha256').update(url).digest('hex').slice(0, 40)}`;
  let commit: string;
  if (ref === '') {
    ({ commit } = await git.fetch({ repoId, url }));
  } else {
    // The cache fetches tags and full shas as a revision and branches by name; a ref is tried
    // as the former first, as `git fetch origin <ref>` would resolve a tag before a branch.
    try {
      ({ commit } = await git.fetch({ repoId, url, revision: ref }));
    } catch (error) {
      if (!(error instanceof GitError) || error.code !== 'RefNotFound') throw error;
      ({ commit } = await git.fetch({ repoId, url, branch: ref }));
    }
  }
  const tree = await git.readFiles({ repoId, commit, ...(limits ? { limits } : {}) });
  return tree.files;
}
