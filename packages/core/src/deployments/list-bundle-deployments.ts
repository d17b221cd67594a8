import { forWorkspace } from '@flotilla/db';
import type { Principal } from '../auth/principal.ts';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { deploymentDtoInclude, toDeploymentDto } from './deployment-dto.ts';

export async function listBundleDeployments({
  ctx,
  principal,
  bundleId,
}: {
  ctx: Pick<CoreContext, 'db'>;
  principal: Principal;
  bundleId: string;
}) {
  const db = forWorkspace(ctx.db, principal.workspaceId);
  if (!(await db.bundle.findUnique({ where: { id: bundleId }, select: { id: true } })))
    throw AppError.notFound('bundle');
  const rows = await db.bundleDeployment.findMany({
    where: { bundleId, isOrphaned: false },
    include: deploymentDtoInclude,
    orderBy: { cluster: { name: 'asc' } },
  });
  return { items: rows.map(toDeploymentDto), nextCursor: null };
}
