import { forWorkspace, type Cluster } from '@flotilla/db';
import { selectTargetedClusters } from '@flotilla/engine';
import { selectorOf } from '../cluster-groups/cluster-group-columns.ts';
import { labelsOf, toClusterDto, type ClusterDto } from '../clusters/serialize.ts';
import type { CoreContext } from '../context.ts';
import type { Target } from '../targets/targets.ts';

export interface BundleTargetsDto {
  targets: Target[];
  /** True when the bundle uses its GitRepo's targets. */
  inherited: boolean;
  /** The clusters the targets select now, each with the index of the first target that matched. */
  clusters: (ClusterDto & { targetIndex: number })[];
}

/** The clusters some targets select now, for the targets editor. */
export async function targetsView(
  ctx: Pick<CoreContext, 'db'>,
  workspaceId: string,
  targets: Target[],
  inherited: boolean,
): Promise<BundleTargetsDto> {
  const db = forWorkspace(ctx.db, workspaceId);
  const [clusters, groups] = await Promise.all([
    db.cluster.findMany({ orderBy: { name: 'asc' } }),
    db.clusterGroup.findMany(),
  ]);
  const byId = new Map<string, Cluster>(clusters.map((cluster) => [cluster.id, cluster]));
  const selected = selectTargetedClusters(
    targets,
    clusters.map((cluster) => ({
      id: cluster.id,
      name: cluster.name,
      labels: labelsOf(cluster.labels),
    })),
    groups.map((group) => ({
      name: group.name,
      labels: labelsOf(group.labels),
      selector: selectorOf(group.selector),
    })),
  );
  return {
    targets,
    inherited,
    clusters: selected.map((match) => ({
      ...toClusterDto(byId.get(match.cluster.id)!),
      targetIndex: match.index,
    })),
  };
}
