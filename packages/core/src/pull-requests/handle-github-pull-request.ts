import type { GitRepo } from '@flotilla/db';
import { parseGithubPullRequest } from '@flotilla/git';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';

/** The actions that (re)start a preview; `closed` ends one; the others change nothing. */
const PREVIEWED_ACTIONS = new Set(['opened', 'synchronize', 'reopened']);

/**
 * A verified pull_request delivery for `repos` (already matched by URL and signature): for each
 * repo with a GitHub connection, record the preview at the PR's head and queue its job; the
 * rendering happens in the worker, never in this request. `closed` marks the preview closed.
 */
export async function handleGithubPullRequest({
  ctx,
  repos,
  rawBody,
}: {
  ctx: Pick<CoreContext, 'db' | 'queues' | 'logger'>;
  repos: readonly GitRepo[];
  rawBody: string;
}): Promise<{ accepted: number }> {
  const parsed = parseGithubPullRequest(rawBody);
  if (!parsed.ok) throw AppError.validation([{ path: 'body', message: parsed.error }]);
  const { pullRequest: pr } = parsed;
  const connected = await ctx.db.githubConnection.findMany({
    where: { gitRepoId: { in: repos.map((repo) => repo.id) } },
    select: { gitRepoId: true },
  });
  const targets = repos.filter((repo) => connected.some((c) => c.gitRepoId === repo.id));
  if (pr.action === 'closed') {
    await ctx.db.pullRequestPreview.updateMany({
      where: { gitRepoId: { in: targets.map((repo) => repo.id) }, number: pr.number },
      data: { isOpen: false },
    });
    return { accepted: targets.length };
  }
  if (!PREVIEWED_ACTIONS.has(pr.action)) return { accepted: 0 };
  let accepted = 0;
  for (const repo of targets) {
    const fields = {
      title: pr.title.slice(0, 500),
      headSha: pr.headSha,
      baseSha: pr.baseSha,
      isFork: pr.isFork,
      isOpen: true,
      state: 'Pending' as const,
      conclusion: null,
      lastError: '',
    };
    const preview = await ctx.db.pullRequestPreview.upsert({
      where: { gitRepoId_number: { gitRepoId: repo.id, number: pr.number } },
      create: { workspaceId: repo.workspaceId, gitRepoId: repo.id, number: pr.number, ...fields },
      update: fields,
    });
    await ctx.queues.enqueuePullRequestPreview({ previewId: preview.id, headSha: pr.headSha });
    accepted += 1;
  }
  ctx.logger.info(
    { repos: accepted, pullRequest: pr.number, action: pr.action, isFork: pr.isFork },
    'github pull request accepted',
  );
  return { accepted };
}
