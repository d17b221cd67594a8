import { forWorkspace } from '@flotilla/db';
import { DEPLOYMENT_STATES, type DeploymentState } from '@flotilla/engine';
import type { Principal } from '../auth/principal.ts';
import { labelsOf } from '../clusters/serialize.ts';
import type { CoreContext } from '../context.ts';
import { matchingClusterIds, matrixBundles } from './matrix-axes.ts';

export interface FleetMatrix {
  clusters: {
    id: string;
    name: string;
    labels: Record<string, string>;
    connectivity: 'Online' | 'Offline' | 'Unknown';
    lastSeenAt: string | null;
    isSimulated: boolean;
  }[];
  bundles: { id: string; name: string; gitRepoId: string; gitRepoName: string }[];
  cells: { clusterId: string; bundleId: string; deploymentId: string; state: DeploymentState }[];
  summary: Record<DeploymentState, number>;
}

/**
 * The whole fleet as one picture: clusters as rows, bundles as columns, one cell per
 * deployment. Three narrow queries, whatever the size of the fleet.
 */
export async function getFleetMatrix({
  ctx,
  principal,
  selector,
  bundle,
}: {
  ctx: Pick<CoreContext, 'db'>;
  principal: Principal;
  selector?: string | undefined;
  bundle?: string | undefined;
}): Promise<FleetMatrix> {
  const db = forWorkspace(ctx.db, principal.workspaceId);
  const clusterIds = await matchingClusterIds(ctx, principal, selector);
  const bundles = await matrixBundles(ctx, principal, bundle);
  // The one big answer (1000 clusters x 50 bundles is 50,000 cells): Postgres builds the
  // cells as one JSON text, which JSON.parse turns into objects far faster than rows can be
  // mapped one by one. Raw SQL, so the workspace is an explicit condition here.
  const bundleIds = bundles.map((entry) => entry.id);
  const [clusters, [row]] = await Promise.all([
    db.cluster.findMany({
      where: clusterIds ? { id: { in: clusterIds } } : {},
      select: {
        id: true,
        name: true,
        labels: true,
        connectivity: true,
        lastSeenAt: true,
        isSimulated: true,
      },
      orderBy: { name: 'asc' },
    }),
    ctx.db.$queryRaw<{ cells: string }[]>`
      SELECT coalesce(json_agg(json_build_object(
        'clusterId', d."clusterId", 'bundleId', d."bundleId", 'deploymentId', d.id, 'state', d.state
      )), '[]')::text AS cells
      FROM "BundleDeployment" d
      WHERE d."workspaceId" = ${principal.workspaceId} AND NOT d."isOrphaned"
        AND d."bundleId" = ANY(${bundleIds}::text[])
        AND (${clusterIds === undefined} OR d."clusterId" = ANY(${clusterIds ?? []}::text[]))`,
  ]);
  const cells = JSON.parse(row?.cells ?? '[]') as FleetMatrix['cells'];
  const summary = Object.fromEntries(DEPLOYMENT_STATES.map((state) => [state, 0])) as Record<
    DeploymentState,
    number
  >;
  for (const cell of cells) summary[cell.state] += 1;
  return {
    clusters: clusters.map((cluster) => ({
      id: cluster.id,
      name: cluster.name,
      labels: labelsOf(cluster.labels),
      connectivity: cluster.connectivity,
      lastSeenAt: cluster.lastSeenAt?.toISOString() ?? null,
      isSimulated: cluster.isSimulated,
    })),
    bundles: bundles.map((entry) => ({
      id: entry.id,
      name: entry.name,
      gitRepoId: entry.gitRepoId,
      gitRepoName: entry.gitRepo.name,
    })),
    cells,
    summary,
  };
}
