import { forWorkspace } from '@flotilla/db';
import { auditedWrite } from '../audit/audited-write.ts';
import type { Principal, RequestOrigin } from '../auth/principal.ts';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';

/**
 * "Confirm" a held removal: lets the repo's current commit remove the bundles it no longer
 * has (their objects are then pruned). The confirmation names that commit, so a later commit
 * removing as many asks again. Idempotent: with nothing held it changes nothing.
 */
export async function confirmGitRepoRemoval({
  ctx,
  principal,
  origin,
  gitRepoId,
}: {
  ctx: Pick<CoreContext, 'db' | 'queues'>;
  principal: Principal;
  origin?: RequestOrigin;
  gitRepoId: string;
}): Promise<{ confirmedCommit: string | null }> {
  const db = forWorkspace(ctx.db, principal.workspaceId);
  const repo = await db.gitRepo.findUnique({
    where: { id: gitRepoId },
    select: { name: true, commit: true, removalConfirmedCommit: true, deletedAt: true },
  });
  if (!repo || repo.deletedAt) throw AppError.notFound('git repository');
  const { commit } = repo;
  if (!commit || repo.removalConfirmedCommit === commit) return { confirmedCommit: commit };
  await auditedWrite({
    ctx,
    principal,
    origin,
    write: (tx) =>
      tx.gitRepo.update({ where: { id: gitRepoId }, data: { removalConfirmedCommit: commit } }),
    audit: () => ({
      action: 'gitrepo.confirm-removal',
      objectType: 'gitrepo',
      objectId: gitRepoId,
      details: { name: repo.name, commit },
    }),
  });
  await ctx.queues.enqueueGitSync({ gitRepoId, reason: 'manual' });
  return { confirmedCommit: commit };
}
