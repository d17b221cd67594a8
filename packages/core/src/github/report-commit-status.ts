import { randomUUID } from 'node:crypto';
import { githubErrorStatus } from '@flotilla/git';
import { githubStatusWindow } from '@flotilla/jobs';
import { storedRolloutStatus } from '../bundles/rollout-status.ts';
import type { WorkerContext } from '../worker-context.ts';
import { githubClientFor } from './github-client-for-repo.ts';
import { summarizeCommitStatus } from './summarize-commit-status.ts';

/** The context GitHub shows the status under; statuses with one context replace each other. */
export const GITHUB_STATUS_CONTEXT = 'flotilla';

/** Re-checks of a commit still rolling out, in milliseconds (a setting overrides it). */
const DEFAULT_RECHECK_MS = 5000;
/** Longest a job holds a commit (a GitHub call with its retries fits well within). */
const LOCK_MS = 60_000;

const keyOf = (gitRepoId: string, commit: string) =>
  `flotilla:github-status:${gitRepoId}:${commit}`;

/** Deletes the lock only when this job still holds it (it may have expired and moved on). */
const RELEASE_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** Sets the key to ARGV[1] when it is absent or lower, for ARGV[2] ms; 1 when it did. */
const RAISE_SCRIPT = `local current = redis.call('GET', KEYS[1])
if current and tonumber(current) >= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`;

export type ReportCommitStatusOutcome =
  | 'not-connected'
  /** Another job of this commit is running: a follow-up is queued. */
  | 'busy'
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
  // One job per commit at a time: two jobs of different windows would both see a change and
  // post it twice. The one that finds the lock taken hands over to a later window.
  const lock = `${keyOf(gitRepoId, commit)}:lock`;
  const holder = randomUUID();
  if ((await ctx.redis.set(lock, holder, 'PX', LOCK_MS, 'NX')) !== 'OK') {
    await scheduleFollowUp(ctx, gitRepoId, commit, window);
    return 'busy';
  }
  try {
    return await reportUnderLock({ ctx, gitRepoId, commit, window });
  } finally {
    await ctx.redis.eval(RELEASE_SCRIPT, 1, lock, holder);
  }
}

/**
 * Queues the next check of a commit unless one is already queued for that window or a later
 * one: every trigger while a commit is pending would otherwise start a chain of re-checks of its
 * own. A Lua compare-and-raise on the latest follow-up window makes the chains merge.
 */
async function scheduleFollowUp(
  ctx: WorkerContext,
  gitRepoId: string,
  commit: string,
  window: number | undefined,
): Promise<void> {
  const delayMs = ctx.settings.githubStatusRecheckMs ?? DEFAULT_RECHECK_MS;
  const next = githubStatusWindow(delayMs, window);
  const isMine = await ctx.redis.eval(
    RAISE_SCRIPT,
    1,
    `${keyOf(gitRepoId, commit)}:next`,
    String(next),
    String(delayMs + LOCK_MS),
  );
  if (isMine === 1)
    await ctx.queues.enqueueGithubStatus({ gitRepoId, commit }, { delayMs, window: next });
}

async function reportUnderLock({
  ctx,
  gitRepoId,
  commit,
  window,
}: {
  ctx: WorkerContext;
  gitRepoId: string;
  commit: string;
  window: number | undefined;
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
    if (summary.state === 'pending') await scheduleFollowUp(ctx, gitRepoId, commit, window);
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
