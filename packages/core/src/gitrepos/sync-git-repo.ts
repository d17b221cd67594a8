import type { GitRepo } from '@flotilla/db';
import { discoverBundles, drivenBundles, isEngineError } from '@flotilla/engine';
import { isGitError, isRepoTreeError } from '@flotilla/git';
import { publishUpdates, recordActionEvent } from '../events/record-events.ts';
import { githubCloneToken } from '../github/github-client-for-repo.ts';
import type { WorkerContext } from '../worker-context.ts';
import type { GitAuth } from './schemas.ts';
import { storedDrivenBundles } from './serialize.ts';
import { changedBundlesFirst } from './changed-bundles-first.ts';

export interface SyncOutcome {
  commit: string | null;
  bundles: number;
  renders: number;
  error?: string;
}

/**
 * Fetches a repository, finds its bundles and queues a render for each bundle not yet rendered
 * at the new commit. A failed fetch keeps the last good commit and removes nothing: it records
 * the error and its time, and the next poll tries again.
 */
export async function syncGitRepo({
  ctx,
  gitRepoId,
}: {
  ctx: WorkerContext;
  gitRepoId: string;
}): Promise<SyncOutcome> {
  const repo = await ctx.db.gitRepo.findUnique({ where: { id: gitRepoId } });
  if (!repo || repo.deletedAt) return { commit: null, bundles: 0, renders: 0 };
  await setState(ctx, repo, { state: 'Fetching' });
  let auth = repo.auth ? ctx.secrets.open<GitAuth>(repo.auth, repo.id) : undefined;
  // A repo without credentials of its own clones with its GitHub connection's token (a personal
  // token, or the App's installation token), sent as user x-access-token.
  if (!auth && /^https?:\/\//i.test(repo.url)) {
    try {
      const token = await githubCloneToken(ctx, repo.id);
      if (token) auth = { token };
    } catch (error) {
      ctx.logger.warn(
        { repo: repo.name, gitRepoId: repo.id, err: (error as Error).message },
        'no GitHub token for the clone: fetching without credentials',
      );
    }
  }
  let commit: string;
  try {
    ({ commit } = await ctx.git.fetch({
      repoId: repo.id,
      url: repo.url,
      ...(repo.revision ? { revision: repo.revision } : { branch: repo.branch }),
      ...(auth ? { auth } : {}),
    }));
  } catch (error) {
    if (!isGitError(error)) throw error;
    return fail(ctx, repo, `fetch failed: ${error.message}`);
  }
  let discovered;
  try {
    const tree = await ctx.git.readFiles({
      repoId: repo.id,
      commit,
      limits: { maxTotalBytes: 200 * 1024 * 1024 },
    });
    // Fleet's user-driven scan: with bundles: entries, exactly those folders are bundles.
    const driven = storedDrivenBundles(repo.drivenBundles);
    discovered =
      driven.length > 0
        ? drivenBundles(tree.files, driven)
        : discoverBundles(tree.files, repo.paths);
  } catch (error) {
    if (isEngineError(error) || isRepoTreeError(error) || isGitError(error)) {
      return fail(ctx, repo, `reading commit ${commit.slice(0, 12)} failed: ${error.message}`);
    }
    throw error;
  }
  // A bundle is a folder plus the options file it reads: one folder may be several bundles.
  const keyOf = (bundle: { path: string; optionsFile?: string }) =>
    JSON.stringify([bundle.path, bundle.optionsFile ?? '']);
  const presentKeys = new Set(discovered.map(keyOf));
  const existing = await ctx.db.bundle.findMany({ where: { gitRepoId: repo.id } });
  const byKey = new Map(existing.map((bundle) => [keyOf(bundle), bundle]));
  for (const found of discovered) {
    const { path, name } = found;
    const optionsFile = found.optionsFile ?? '';
    const bundle = byKey.get(keyOf(found));
    if (!bundle) {
      // upsert: two syncs of one repo may race to create the same bundle.
      await ctx.db.bundle.upsert({
        where: { gitRepoId_path_optionsFile: { gitRepoId: repo.id, path, optionsFile } },
        create: {
          workspaceId: repo.workspaceId,
          gitRepoId: repo.id,
          path,
          optionsFile,
          name: uniqueName(
            name,
            existing.map((b) => b.name),
          ),
        },
        update: { isPresent: true },
      });
    } else if (!bundle.isPresent) {
      await ctx.db.bundle.update({ where: { id: bundle.id }, data: { isPresent: true } });
    }
  }
  const wasPresent = existing.filter((bundle) => bundle.isPresent);
  const gone = wasPresent.filter((bundle) => !presentKeys.has(keyOf(bundle)));
  // A commit that removes most of a repo's bundles (a deleted folder, a glob that stopped
  // matching) is far more often a mistake than the intent: its bundles are kept, not pruned,
  // until an operator confirms this very commit.
  const heldRemoval = isRemovalHeld({
    removed: gone.length,
    present: wasPresent.length,
    maxShare: ctx.settings.maxBundleRemovalShare ?? DEFAULT_MAX_REMOVAL_SHARE,
    isConfirmed: repo.removalConfirmedCommit === commit,
  })
    ? `commit ${commit.slice(0, 12)} would remove ${gone.length} of ${wasPresent.length} bundles; confirm`
    : null;
  if (gone.length > 0 && !heldRemoval) {
    await ctx.db.bundle.updateMany({
      where: { id: { in: gone.map((bundle) => bundle.id) } },
      data: { isPresent: false },
    });
    await ctx.queues.enqueuePlans(gone.map((bundle) => ({ bundleId: bundle.id })));
  }
  const isNewCommit = repo.commit !== commit;
  if (heldRemoval) ctx.logger.warn({ repo: repo.name, gitRepoId: repo.id }, heldRemoval);
  const state = heldRemoval ? 'Error' : 'Ready';
  await ctx.db.gitRepo.update({
    where: { id: repo.id },
    data: {
      commit,
      fetchedAt: ctx.now(),
      state,
      message: heldRemoval ?? '',
      ...(heldRemoval ? { lastErrorAt: ctx.now() } : {}),
    },
  });
  await publishUpdates(ctx, repo.workspaceId, [{ type: 'gitrepo', gitRepoId: repo.id, state }]);
  if (isNewCommit) {
    ctx.logger.info({ repo: repo.name, commit: commit.slice(0, 12) }, 'new commit');
    await recordActionEvent({
      ctx,
      event: {
        workspaceId: repo.workspaceId,
        type: 'GitCommit',
        message: `${repo.name}: commit ${commit.slice(0, 12)}`,
      },
    });
  }
  // Render what has not been rendered at this commit; an unchanged commit renders nothing.
  const bundles = await ctx.db.bundle.findMany({
    where: { gitRepoId: repo.id, isPresent: true },
    select: { id: true, path: true, optionsFile: true, commit: true, failedCommit: true },
  });
  // A held bundle is not in this commit: it keeps the revision it runs.
  const toRender = bundles.filter(
    (bundle) =>
      presentKeys.has(keyOf(bundle)) && bundle.commit !== commit && bundle.failedCommit !== commit,
  );
  // The bundles this commit changed are rendered (then planned and deployed) first.
  const changedPaths =
    isNewCommit && repo.commit && toRender.length > 1
      ? await ctx.git.changedPaths({ repoId: repo.id, from: repo.commit, to: commit })
      : undefined;
  for (const bundle of changedBundlesFirst(toRender, changedPaths))
    await ctx.queues.enqueueRender({ bundleId: bundle.id, commit });
  // Every sync refreshes the commit's GitHub status (posted only when it changed), so a commit
  // that failed and was fixed on the clusters turns green within a poll interval.
  if (
    await ctx.db.githubConnection.findUnique({
      where: { gitRepoId: repo.id },
      select: { id: true },
    })
  )
    await ctx.queues.enqueueGithubStatus({ gitRepoId: repo.id, commit });
  return { commit, bundles: bundles.length, renders: toRender.length };
}

const DEFAULT_MAX_REMOVAL_SHARE = 0.5;

/** Whether a sync removing `removed` of `present` bundles waits for a confirmation. */
export function isRemovalHeld({
  removed,
  present,
  maxShare,
  isConfirmed,
}: {
  removed: number;
  present: number;
  maxShare: number;
  isConfirmed: boolean;
}): boolean {
  return !isConfirmed && present >= 2 && removed / present > maxShare;
}

function uniqueName(name: string, taken: string[]): string {
  if (!taken.includes(name)) return name;
  for (let index = 2; ; index += 1)
    if (!taken.includes(`${name}-${index}`)) return `${name}-${index}`;
}

async function setState(ctx: WorkerContext, repo: GitRepo, data: { state: GitRepo['state'] }) {
  await ctx.db.gitRepo.update({ where: { id: repo.id }, data });
  await publishUpdates(ctx, repo.workspaceId, [
    { type: 'gitrepo', gitRepoId: repo.id, state: data.state },
  ]);
}

async function fail(ctx: WorkerContext, repo: GitRepo, message: string): Promise<SyncOutcome> {
  ctx.logger.warn({ repo: repo.name, gitRepoId: repo.id, err: message }, 'git sync failed');
  await ctx.db.gitRepo.update({
    where: { id: repo.id },
    data: { state: 'Error', message, lastErrorAt: ctx.now() },
  });
  await publishUpdates(ctx, repo.workspaceId, [
    { type: 'gitrepo', gitRepoId: repo.id, state: 'Error' },
  ]);
  if (repo.state !== 'Error' || repo.message !== message) {
    await recordActionEvent({
      ctx,
      event: {
        workspaceId: repo.workspaceId,
        type: 'GitSyncFailed',
        message: `${repo.name}: ${message}`,
      },
    });
  }
  return { commit: repo.commit, bundles: 0, renders: 0, error: message };
}
