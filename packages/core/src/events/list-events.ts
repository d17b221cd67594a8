import { forWorkspace, pageArgs, toPage, type DeploymentState } from '@flotilla/db';
import type { Principal } from '../auth/principal.ts';
import type { CoreContext } from '../context.ts';

export interface EventDto {
  id: string;
  at: string;
  type: string;
  clusterId: string | null;
  clusterName: string | null;
  bundleId: string | null;
  bundleName: string | null;
  deploymentId: string | null;
  fromState: DeploymentState | null;
  toState: DeploymentState | null;
  message: string;
}

/** Newest first; filter by cluster, bundle, and the state a deployment changed to. */
export async function listEvents({
  ctx,
  principal,
  clusterId,
  bundleId,
  state,
  limit = 100,
  cursor,
}: {
  ctx: Pick<CoreContext, 'db'>;
  principal: Principal;
  clusterId?: string | undefined;
  bundleId?: string | undefined;
  state?: DeploymentState | undefined;
  limit?: number;
  cursor?: string | undefined;
}) {
  const db = forWorkspace(ctx.db, principal.workspaceId);
  const rows = await db.event.findMany({
    where: {
      ...(clusterId ? { clusterId } : {}),
      ...(bundleId ? { bundleId } : {}),
      ...(state ? { toState: state } : {}),
    },
    ...pageArgs({ limit, cursor }),
    orderBy: [{ at: 'desc' }, { id: 'desc' }],
  });
  const page = toPage(rows, limit);
  const clusterIds = [
    ...new Set(page.items.flatMap((row) => (row.clusterId ? [row.clusterId] : []))),
  ];
  const bundleIds = [...new Set(page.items.flatMap((row) => (row.bundleId ? [row.bundleId] : [])))];
  const [clusters, bundles] = await Promise.all([
    db.cluster.findMany({ where: { id: { in: clusterIds } }, select: { id: true, name: true } }),
    db.bundle.findMany({ where: { id: { in: bundleIds } }, select: { id: true, name: true } }),
  ]);
  const clusterName = new Map(clusters.map((cluster) => [cluster.id, cluster.name]));
  const bundleName = new Map(bundles.map((bundle) => [bundle.id, bundle.name]));
  return {
    items: page.items.map((row): EventDto => ({
      id: row.id,
      at: row.at.toISOString(),
      type: row.type,
      clusterId: row.clusterId,
      clusterName: row.clusterId ? (clusterName.get(row.clusterId) ?? null) : null,
      bundleId: row.bundleId,
      bundleName: row.bundleId ? (bundleName.get(row.bundleId) ?? null) : null,
      deploymentId: row.deploymentId,
      fromState: row.fromState,
      toState: row.toState,
      message: row.message,
    })),
    nextCursor: page.nextCursor,
  };
}
