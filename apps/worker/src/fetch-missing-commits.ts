import type { WorkerContext } from '@flotilla/core';
import { isGitError, type FetchRequest, type GitAuth, type GitCache } from '@flotilla/git';

/**
 * The Git cache is local to each worker process (each machine has its own), but a render job
 * may run on another worker than the git sync that fetched its commit. Reading a commit this
 * cache does not hold fetches that commit from the repository first (by its full sha, with the
 * repository's credentials), then reads again. Only GitRepos are looked up: a cache entry that
 * is not one (a kustomize remote base) fails as before.
 */
export function fetchMissingCommits(git: GitCache, ctx: () => WorkerContext): GitCache {
  const fetchRequestOf = async (repoId: string): Promise<FetchRequest | undefined> => {
    const { db, secrets } = ctx();
    const repo = await db.gitRepo.findUnique({
      where: { id: repoId },
      select: { id: true, url: true, auth: true, deletedAt: true },
    });
    if (!repo || repo.deletedAt) return undefined;
    const auth = repo.auth ? secrets.open<GitAuth>(repo.auth, repo.id) : undefined;
    return { repoId: repo.id, url: repo.url, ...(auth ? { auth } : {}) };
  };
  return {
    ...git,
    readFiles: async (options) => {
      try {
        return await git.readFiles(options);
      } catch (error) {
        // RefNotFound: the cache lacks the commit; Failed: it may lack the repository itself.
        if (!isGitError(error) || (error.code !== 'RefNotFound' && error.code !== 'Failed'))
          throw error;
        const request = await fetchRequestOf(options.repoId);
        if (!request) throw error;
        ctx().logger.info(
          { gitRepoId: options.repoId, commit: options.commit },
          'git: commit not in this worker cache; fetching it',
        );
        await git.fetch({ ...request, revision: options.commit });
        return git.readFiles(options);
      }
    },
  };
}
