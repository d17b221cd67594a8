import { clusterIdsMatching, forWorkspace } from '@flotilla/db';
import { DEPLOYMENT_STATES, type DeploymentState } from '@flotilla/engine';
import type { Principal } from '../auth/principal.ts';
import { parseSelectorInput } from '../clusters/list-clusters.ts';
import { labelsOf } from '../clusters/serialize.ts';
import type { CoreContext } from '../context.ts';

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
 * deployment. Three narrow queries, whatever the size of the fleet (1000 x 50 is 50,000 cells).
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
  const parsed = selector?.trim() ? parseSelectorInput(selector, 'selector') : undefined;
  const clusterIds = parsed ? await clusterIdsMatching(ctx.db, principal.workspaceId, parsed) : undefined;
  const bundleFilter = bundle?.trim();
  const [clusters, bundles] = await Promise.all([
    db.cluster.findMany({
      where: clusterIds ? { id: { in: clusterIds } } : {},
      select: { id: true, name: true, labels: true, connectivity: true, lastSeenAt: true, isSimulated: true },
      orderBy: { name: 'asc' },
    }),
    db.bundle.findMany({
      where: {
        isPresent: true,
        gitRepo: { deletedAt: null },
        ...(bundleFilter ? { OR: [{ id: bundleFilter }, { name: { contains: bundleFilter, mode: 'insensitive' as const } }] } : {}),
      },
      select: { id: true, name: true, gitRepoId: true, gitRepo: { select: { name: true } } },
      orderBy: { name: 'asc' },
    }),
  ]);
  const cells = await db.bundleDeployment.findMany({
    where: {
      isOrphaned: false,
      bundleId: { in: bundles.map((entry) => entry.id) },
      ...(clusterIds ? { clusterId: { in: clusterIds } } : {}),
    },
    select: { id: true, clusterId: true, bundleId: true, state: true },
  });
  const summary = Object.fromEntries(DEPLOYMENT_STATES.map((state) => [state, 0])) as Record<DeploymentState, number>;
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
    bundles: bundles.map((entry) => ({ id: entry.id, name: entry.name, gitRepoId: entry.gitRepoId, gitRepoName: entry.gitRepo.name })),
    cells: cells.map((cell) => ({ clusterId: cell.clusterId, bundleId: cell.bundleId, deploymentId: cell.id, state: cell.state })),
    summary,
  };
}
