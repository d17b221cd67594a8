import { forWorkspace, Prisma } from '@flotilla/db';
import { auditedWrite } from '../audit/audited-write.ts';
import type { Principal, RequestOrigin } from '../auth/principal.ts';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { asJson } from '../json.ts';
import { parseTargets } from '../targets/targets.ts';
import type { BundleTargetsDto } from './bundle-targets-view.ts';
import { getBundleTargets } from './get-bundle-targets.ts';

/** PUT: the bundle's own ordered targets, or null to use its GitRepo's; re-plans at once. */
export async function setBundleTargets({
  ctx,
  principal,
  origin,
  bundleId,
  targets,
}: {
  ctx: CoreContext;
  principal: Principal;
  origin?: RequestOrigin;
  bundleId: string;
  targets: unknown;
}): Promise<BundleTargetsDto> {
  const db = forWorkspace(ctx.db, principal.workspaceId);
  const bundle = await db.bundle.findUnique({ where: { id: bundleId } });
  if (!bundle) throw AppError.notFound('bundle');
  const parsed = targets === null ? null : parseTargets(targets);
  await auditedWrite({
    ctx,
    principal,
    origin,
    write: (tx) =>
      tx.bundle.update({
        where: { id: bundleId },
        data: { targets: parsed === null ? Prisma.DbNull : asJson(parsed) },
      }),
    audit: () => ({
      action: 'bundle.set-targets',
      objectType: 'bundle',
      objectId: bundleId,
      details: { name: bundle.name, targets: parsed === null ? 'inherited' : asJson(parsed) },
    }),
  });
  await ctx.queues.enqueuePlan({ bundleId });
  return getBundleTargets({ ctx, principal, bundleId });
}
