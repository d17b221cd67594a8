import { forWorkspace } from '@flotilla/db';
import { auditedWrite } from '../audit/audited-write.ts';
import type { Principal, RequestOrigin } from '../auth/principal.ts';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';

/**
 * "Confirm prune" for every deployment of a bundle held because its revision has no objects:
 * each confirmation names the revision held, so a later, different empty revision asks again.
 */
export async function confirmBundlePrune({
  ctx,
  principal,
  origin,
  bundleId,
}: {
  ctx: Pick<CoreContext, 'db' | 'queues'>;
  principal: Principal;
  origin?: RequestOrigin;
  bundleId: string;
}): Promise<{ confirmed: number }> {
  const db = forWorkspace(ctx.db, principal.workspaceId);
  const bundle = await db.bundle.findUnique({ where: { id: bundleId }, select: { name: true } });
  if (!bundle) throw AppError.notFound('bundle');
  const deployments = await db.bundleDeployment.findMany({
    where: { bundleId, targetHash: { not: null } },
    select: { id: true, targetHash: true, appliedHash: true, pruneConfirmedHash: true },
  });
  const emptyHashes = new Set(
    (
      await db.bundleRevision.findMany({
        where: {
          hash: { in: [...new Set(deployments.flatMap((row) => row.targetHash ?? []))] },
          resourceCount: 0,
        },
        select: { hash: true },
      })
    ).map((revision) => revision.hash),
  );
  const held = deployments.filter(
    (row) =>
      row.targetHash !== null &&
      emptyHashes.has(row.targetHash) &&
      row.appliedHash !== row.targetHash &&
      row.pruneConfirmedHash !== row.targetHash,
  );
  // Nothing held (or already confirmed): confirming again changes nothing, as a second click.
  if (held.length === 0) return { confirmed: 0 };
  await auditedWrite({
    ctx,
    principal,
    origin,
    write: (tx) =>
      Promise.all(
        held.map((row) =>
          tx.bundleDeployment.update({
            where: { id: row.id },
            data: { pruneConfirmedHash: row.targetHash },
          }),
        ),
      ),
    audit: () => ({
      action: 'bundle.confirm-prune',
      objectType: 'bundle',
      objectId: bundleId,
      details: { name: bundle.name, deployments: held.length },
    }),
  });
  await ctx.queues.enqueuePlan({ bundleId });
  return { confirmed: held.length };
}
