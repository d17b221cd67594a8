import { forWorkspace } from '@flotilla/db';
import { auditedWrite } from '../audit/audited-write.ts';
import type { Principal, RequestOrigin } from '../auth/principal.ts';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { getBundle, type BundleDetailDto } from './get-bundle.ts';

/**
 * Rolls a bundle back: pins it to an earlier commit it already rendered, so the next plan
 * targets that commit's revisions on every cluster and newer commits are held back until
 * releaseBundlePin. `commit` may be abbreviated (at least 7 characters) when that is unambiguous.
 * Only a commit with a revision can be pinned: rendering an old commit again would need Git to
 * still hold it, and a pin must never leave clusters with nothing to apply.
 */
export async function pinBundle({
  ctx,
  principal,
  origin,
  bundleId,
  commit,
}: {
  ctx: CoreContext;
  principal: Principal;
  origin?: RequestOrigin;
  bundleId: string;
  commit: string;
}): Promise<BundleDetailDto> {
  const db = forWorkspace(ctx.db, principal.workspaceId);
  const bundle = await db.bundle.findUnique({ where: { id: bundleId } });
  if (!bundle) throw AppError.notFound('bundle');
  // BundleRender has no workspace column: the bundle found above is the workspace check.
  const rendered = await db.bundleRender.findMany({
    where: { bundleId, commit: { startsWith: commit }, revisionHash: { not: null } },
    select: { commit: true },
    distinct: ['commit'],
  });
  const [match, ...others] = rendered;
  if (!match)
    throw AppError.validation([
      { path: 'commit', message: `no revision of bundle ${bundle.name} was rendered at ${commit}` },
    ]);
  if (others.length > 0)
    throw AppError.validation([
      { path: 'commit', message: `${commit} is ambiguous: give more of the commit` },
    ]);
  await auditedWrite({
    ctx,
    principal,
    origin,
    write: (tx) =>
      tx.bundle.update({
        where: { id: bundleId },
        data: { pinnedCommit: match.commit, pinnedBy: principal.label, pinnedAt: ctx.now() },
      }),
    audit: () => ({
      action: 'bundle.pin',
      objectType: 'bundle',
      objectId: bundleId,
      details: { name: bundle.name, commit: match.commit, previous: bundle.pinnedCommit },
    }),
  });
  await ctx.queues.enqueuePlan({ bundleId });
  return getBundle({ ctx, principal, bundleId });
}

/** Releases a bundle's pin: the next plan targets its latest commit again. */
export async function releaseBundlePin({
  ctx,
  principal,
  origin,
  bundleId,
}: {
  ctx: CoreContext;
  principal: Principal;
  origin?: RequestOrigin;
  bundleId: string;
}): Promise<BundleDetailDto> {
  const db = forWorkspace(ctx.db, principal.workspaceId);
  const bundle = await db.bundle.findUnique({ where: { id: bundleId } });
  if (!bundle) throw AppError.notFound('bundle');
  if (bundle.pinnedCommit !== null) {
    await auditedWrite({
      ctx,
      principal,
      origin,
      write: (tx) =>
        tx.bundle.update({
          where: { id: bundleId },
          data: { pinnedCommit: null, pinnedBy: null, pinnedAt: null },
        }),
      audit: () => ({
        action: 'bundle.unpin',
        objectType: 'bundle',
        objectId: bundleId,
        details: { name: bundle.name, commit: bundle.pinnedCommit },
      }),
    });
    await ctx.queues.enqueuePlan({ bundleId });
  }
  return getBundle({ ctx, principal, bundleId });
}
