import { forWorkspace } from '@flotilla/db';
import type { Principal } from '../auth/principal.ts';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { toBundleDto, type BundleDto } from './bundle-dto.ts';

export async function getBundle({
  ctx,
  principal,
  bundleId,
}: {
  ctx: Pick<CoreContext, 'db'>;
  principal: Principal;
  bundleId: string;
}): Promise<BundleDto> {
  const db = forWorkspace(ctx.db, principal.workspaceId);
  const bundle = await db.bundle.findUnique({
    where: { id: bundleId },
    include: { gitRepo: true },
  });
  if (!bundle) throw AppError.notFound('bundle');
  const deployments = await db.bundleDeployment.findMany({
    where: { bundleId, isOrphaned: false },
    select: { state: true },
  });
  return toBundleDto(bundle, deployments);
}
