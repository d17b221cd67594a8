import { forWorkspace } from '@flotilla/db';
import type { Principal, RequestOrigin } from '../auth/principal.ts';
import { requestReplanForWorkspace } from '../bundles/request-replan.ts';
import { auditedWrite } from '../audit/audited-write.ts';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { updateClusterInput, type UpdateClusterInput } from './schemas.ts';
import { labelsOf, toClusterDto, type ClusterDto } from './serialize.ts';

/** PATCH: `labels` replaces the whole label set; a change re-plans every bundle. */
export async function updateCluster({
  ctx,
  principal,
  origin,
  clusterId,
  input: rawInput,
}: {
  ctx: CoreContext;
  principal: Principal;
  origin?: RequestOrigin;
  clusterId: string;
  input: UpdateClusterInput;
}): Promise<ClusterDto> {
  const parsed = updateClusterInput.safeParse(rawInput);
  if (!parsed.success)
    throw AppError.validation(
      parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    );
  const input = parsed.data;
  const db = forWorkspace(ctx.db, principal.workspaceId);
  const before = await db.cluster.findUnique({ where: { id: clusterId } });
  if (!before) throw AppError.notFound('cluster');
  if (
    input.name &&
    input.name !== before.name &&
    (await db.cluster.findFirst({ where: { name: input.name } }))
  ) {
    throw new AppError('Conflict', `a cluster named "${input.name}" already exists`);
  }
  const updated = await auditedWrite({
    ctx,
    principal,
    origin,
    write: (tx) =>
      tx.cluster.update({
        where: { id: clusterId },
        data: {
          ...(input.labels ? { labels: input.labels } : {}),
          ...(input.name ? { name: input.name } : {}),
        },
      }),
    audit: (cluster) => ({
      action: 'cluster.update',
      objectType: 'cluster',
      objectId: clusterId,
      details: {
        name: cluster.name,
        ...(input.labels
          ? { labelsBefore: labelsOf(before.labels), labelsAfter: input.labels }
          : {}),
      },
    }),
  });
  // Labels and names feed targeting: any bundle may now select a different set of clusters.
  await requestReplanForWorkspace({ ctx, workspaceId: principal.workspaceId });
  return toClusterDto(updated);
}
