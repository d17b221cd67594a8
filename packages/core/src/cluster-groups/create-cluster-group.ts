import { forWorkspace } from '@flotilla/db';
import { auditedWrite } from '../audit/audited-write.ts';
import type { Principal, RequestOrigin } from '../auth/principal.ts';
import { requestReplanForWorkspace } from '../bundles/request-replan.ts';
import { parseSelectorInput } from '../clusters/list-clusters.ts';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { asJson } from '../json.ts';
import { audited } from './cluster-group-audit.ts';
import { toClusterGroupDto, type ClusterGroupDto } from './cluster-group-dto.ts';
import { clusterGroupInput, parseClusterGroupInput } from './schemas.ts';

export async function createClusterGroup({
  ctx,
  principal,
  origin,
  input,
}: {
  ctx: CoreContext;
  principal: Principal;
  origin?: RequestOrigin;
  input: unknown;
}): Promise<ClusterGroupDto> {
  const data = parseClusterGroupInput(clusterGroupInput, input);
  const selector = parseSelectorInput(data.selector, 'selector');
  const existing = await forWorkspace(ctx.db, principal.workspaceId).clusterGroup.findUnique({
    where: { workspaceId_name: { workspaceId: principal.workspaceId, name: data.name } },
  });
  if (existing)
    throw new AppError('Conflict', `a cluster group named "${data.name}" already exists`);
  const group = await auditedWrite({
    ctx,
    principal,
    origin,
    write: (tx) =>
      tx.clusterGroup.create({
        data: {
          workspaceId: principal.workspaceId,
          name: data.name,
          selector: asJson(selector),
          labels: data.labels,
        },
      }),
    audit: (created) => audited('cluster-group.create', created),
  });
  await requestReplanForWorkspace({ ctx, workspaceId: principal.workspaceId });
  return toClusterGroupDto(ctx, group);
}
