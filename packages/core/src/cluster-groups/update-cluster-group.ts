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
import { parseClusterGroupInput, updateClusterGroupInput } from './schemas.ts';

export async function updateClusterGroup({
  ctx,
  principal,
  origin,
  groupId,
  input,
}: {
  ctx: CoreContext;
  principal: Principal;
  origin?: RequestOrigin;
  groupId: string;
  input: unknown;
}): Promise<ClusterGroupDto> {
  const data = parseClusterGroupInput(updateClusterGroupInput, input);
  const group = await forWorkspace(ctx.db, principal.workspaceId).clusterGroup.findUnique({
    where: { id: groupId },
  });
  if (!group) throw AppError.notFound('cluster group');
  const selector =
    data.selector !== undefined ? parseSelectorInput(data.selector, 'selector') : undefined;
  const updated = await auditedWrite({
    ctx,
    principal,
    origin,
    write: (tx) =>
      tx.clusterGroup.update({
        where: { id: group.id },
        data: {
          ...(data.name ? { name: data.name } : {}),
          ...(selector ? { selector: asJson(selector) } : {}),
          ...(data.labels ? { labels: data.labels } : {}),
        },
      }),
    audit: (written) => audited('cluster-group.update', written),
  });
  await requestReplanForWorkspace({ ctx, workspaceId: principal.workspaceId });
  return toClusterGroupDto(ctx, updated);
}
