import { forWorkspace } from '@flotilla/db';
import { auditedWrite } from '../audit/audited-write.ts';
import type { Principal, RequestOrigin } from '../auth/principal.ts';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { getBundle, type BundleDetailDto } from './get-bundle.ts';

export async function setBundlePaused({
  ctx,
  principal,
  origin,
  bundleId,
  isPaused,
}: {
  ctx: CoreContext;
  principal: Principal;
  origin?: RequestOrigin;
  bundleId: string;
  isPaused: boolean;
}): Promise<BundleDetailDto> {
  const db = forWorkspace(ctx.db, principal.workspaceId);
  const bundle = await db.bundle.findUnique({ where: { id: bundleId } });
  if (!bundle) throw AppError.notFound('bundle');
  await auditedWrite({
    ctx,
    principal,
    origin,
    write: (tx) => tx.bundle.update({ where: { id: bundleId }, data: { paused: isPaused } }),
    audit: () => ({
      action: isPaused ? 'bundle.pause' : 'bundle.resume',
      objectType: 'bundle',
      objectId: bundleId,
      details: { name: bundle.name },
    }),
  });
  await ctx.queues.enqueuePlan({ bundleId });
  return getBundle({ ctx, principal, bundleId });
}
