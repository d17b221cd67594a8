import { forWorkspace } from '@flotilla/db';
import type { Principal } from '../auth/principal.ts';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { deploymentDtoInclude, toDeploymentDto } from './deployment-dto.ts';

export async function listClusterDeployments({
  ctx,
  principal,
  clusterId,
}: {
  ctx: Pick<CoreContext, 'db'>;
  principal: Principal;
  clusterId: string;
}) {
  const db = forWorkspace(ctx.db, principal.workspaceId);
  if (!(await db.cluster.findUnique({ where: { id: clusterId }, select: { id: true } })))
    throw AppError.notFound('cluster');
  const rows = await db.bundleDeployment.findMany({
    where: { clusterId, isOrphaned: false },
    include: deploymentDtoInclude,
    orderBy: { bundle: { name: 'asc' } },
  });
  return { items: rows.map(toDeploymentDto), nextCursor: null };
}
