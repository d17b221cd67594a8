import {
  resolveRemoteBases,
  type BundleOptions,
  type RemoteBases,
  type RepoFiles,
  type TargetCustomization,
} from '@flotilla/engine';
import { readRemoteRepository } from '@flotilla/git';
import type { WorkerContext } from '../worker-context.ts';

/** Remote repositories read while one bundle renders, by remoteRepoKey: copies share a fetch. */
export type FetchedRemotes = Map<string, RepoFiles>;

/** Bytes of the files read from one remote repository. */
const MAX_BYTES_PER_REMOTE = 50 * 1024 * 1024;

/**
 * The remote kustomize bases (git URLs in `resources:` or `components:`) one copy of a bundle
 * needs, fetched through the worker's Git cache, so under the address policy of every other
 * git fetch (file:// only where the installation allows it), and without credentials: the
 * GitRepo's own are never sent to another host. Failures are EngineErrors naming the
 * kustomization file and the URL, so that they fail this copy only.
 */
export async function loadRemoteBases({
  ctx,
  fetched,
  ...input
}: {
  ctx: WorkerContext;
  files: RepoFiles;
  bundlePath: string;
  options: BundleOptions;
  customization?: TargetCustomization | undefined;
  fetched: FetchedRemotes;
}): Promise<RemoteBases | undefined> {
  return resolveRemoteBases({
    ...input,
    fetched,
    // GitError and RepoTreeError messages are scrubbed of credentials: resolveRemoteBases
    // puts them in this copy's error, after the kustomization file and the URL.
    fetchRepository: ({ repoUrl, ref }) =>
      readRemoteRepository({
        git: ctx.git,
        url: repoUrl,
        ref,
        limits: { maxTotalBytes: MAX_BYTES_PER_REMOTE },
      }),
  });
}
