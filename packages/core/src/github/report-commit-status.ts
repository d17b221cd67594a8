import { githubErrorStatus } from '@flotilla/git';
import { storedRolloutStatus } from '../bundles/rollout-status.ts';
import type { WorkerContext } from '../worker-context.ts';
import { githubClientFor } from './github-client-for-repo.ts';
import { summarizeCommitStatus } from './summarize-commit-status.ts';

/** The context GitHub shows the status under; statuses with one context replace each other. */
export const GITHUB_STATUS_CONTEXT = 'flotilla';

/** Re-checks of a commit still rolling out, in milliseconds (a setting overrides it). */
const DEFAULT_RECHECK_MS = 5000;

export type ReportCommitStatusOutcome =
  | 'not-connected'
  | 'unchanged'
  | 'posted'
  /** GitHub refused the status for good (bad credentials, no access, invalid): not retried. */
  | 'refused';

/**
 * The commit status of one commit of a GitHub-connected repo: summarizes its rollout, stores
 * it, and posts it when it differs from what GitHub last accepted. A GitHub failure that may
 * pass (5xx, rate limit, network) is thrown for the job to retry with backoff; it is recorded on
 * the row first. Deploys never wait for this. While the commit still rolls out, the check comes
 * again after a few seconds.
 */
export async function reportCommitStatus({
  ctx,
  gitRepoId,
  commit,
  window,
}: {
  ctx: WorkerContext;
  gitRepoId: string;
  commit: string;
  /** The debounce window of the job running this: its follow-up goes in a later one. */
  window?: number;
}): Promise<ReportCommitStatusOutcome> {
  const repo = await ctx.db.gitRepo.findUnique({
    where: { id: gitRepoId },
    include: { githubConnection: true },
  });
  const connection = repo?.githubConnection;
  if (!repo || repo.deletedAt || !connection) return 'not-connected';

  const [bundles, deployments] = await Promise.all([
    ctx.db.bundle.findMany({
      where: { gitRepoId, isPresent: true },
      select: { name: true, commit: true, failedCommit: true, rolloutStatus: true },
    }),
    ctx.db.bundleDeployment.findMany({
      where: { bundle: { gitRepoId, isPresent: true }, isOrphaned: false },
      select: {
        state: true,
        targetCommit: true,
        targetHash: true,
        appliedHash: true,
        cluster: { select: { name: true } },
      },
    }),
  ]);
  const summary = summarizeCommitStatus({
    commit,
    currentCommit: repo.commit,
    bundles: bundles.map((bundle) => ({
      name: bundle.name,
      renderedCommit: bundle.commit,
      failedCommit: bundle.failedCommit,
      plannedCommit: storedRolloutStatus(bundle.rolloutStatus)?.commit ?? null,
    })),
    deployments: deployments.map((deployment) => ({
      clusterName: deployment.cluster.name,
      state: deployment.state,
      isTargetingCommit: deployment.targetCommit === commit,
      isAtTarget:
        deployment.targetHash !== null && deployment.appliedHash === deployment.targetHash,
    })),
  });
  const publicUrl = ctx.settings.publicUrl;
  const targetUrl = publicUrl
    ? new URL(`/gitrepos/${encodeURIComponent(gitRepoId)}`, publicUrl).toString()
    : null;
  const row = await ctx.db.githubCommitStatus.upsert({
    where: { gitRepoId_commit: { gitRepoId, commit } },
    create: {
      workspaceId: repo.workspaceId,
      gitRepoId,
      commit,
      state: summary.state,
      description: summary.description,
      targetUrl,
    },
    update: { state: summary.state, description: summary.description, targetUrl },
  });
  const recheck = async () => {
    if (summary.state === 'pending') {
      await ctx.queues.enqueueGithubStatus(
        { gitRepoId, commit },
        {
          delayMs: ctx.settings.githubStatusRecheckMs ?? DEFAULT_RECHECK_MS,
          ...(window === undefined ? {} : { afterWindow: window }),
        },
      );
    }
  };
  if (row.postedState === summary.state && row.postedDescription === summary.description) {
    await recheck();
    return 'unchanged';
  }
  try {
    await githubClientFor(ctx, connection).octokit.rest.repos.createCommitStatus({
      owner: connection.owner,
      repo: connection.repo,
      sha: commit,
      state: summary.state,
      description: summary.description,
      context: GITHUB_STATUS_CONTEXT,
      ...(targetUrl ? { target_url: targetUrl } : {}),
    });
  } catch (error) {
    const status = githubErrorStatus(error);
    const isRefused = status !== undefined && [401, 404, 422].includes(status);
    // The message GitHub answered, never the request (its headers carry the token).
    const message =
      status !== undefined
        ? `GitHub answered ${status}: ${(error as Error).message.split('\n')[0]?.slice(0, 300)}`
        : `GitHub unreachable: ${error instanceof Error ? error.message.slice(0, 300) : String(error)}`;
    await ctx.db.githubCommitStatus.update({
      where: { id: row.id },
      data: { lastError: message, lastAttemptAt: ctx.now() },
    });
    ctx.logger.warn(
      { gitRepoId, commit: commit.slice(0, 12), err: message },
      'commit status not posted',
    );
    if (isRefused) return 'refused';
    throw new Error(message, { cause: error });
  }
  await ctx.db.githubCommitStatus.update({
    where: { id: row.id },
    data: {
      postedState: summary.state,
      postedDescription: summary.description,
      postedAt: ctx.now(),
      lastAttemptAt: ctx.now(),
      lastError: '',
    },
  });
  await recheck();
  return 'posted';
}
