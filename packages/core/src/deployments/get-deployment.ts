import { forWorkspace } from '@flotilla/db';
import type { Principal } from '../auth/principal.ts';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { deploymentDtoInclude, toDeploymentDto, type DeploymentDto } from './deployment-dto.ts';

export async function getDeployment({
  ctx,
  principal,
  deploymentId,
}: {
  ctx: Pick<CoreContext, 'db'>;
  principal: Principal;
  deploymentId: string;
}): Promise<DeploymentDto> {
  const row = await forWorkspace(ctx.db, principal.workspaceId).bundleDeployment.findUnique({
    where: { id: deploymentId },
    include: deploymentDtoInclude,
  });
  if (!row) throw AppError.notFound('deployment');
  return toDeploymentDto(row);
}
