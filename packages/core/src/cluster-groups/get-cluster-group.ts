import { clusterIdsMatching, forWorkspace } from '@flotilla/db';
import { targetSelectsThroughGroup } from '@flotilla/engine';
import type { Principal } from '../auth/principal.ts';
import { labelsOf, toClusterDto, type ClusterDto } from '../clusters/serialize.ts';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { storedTargets } from '../targets/targets.ts';
import { selectorOf } from './cluster-group-columns.ts';
import { toClusterGroupDto, type ClusterGroupDto } from './cluster-group-dto.ts';

/** Members listed on the group's page; clusterCount always says how many there are. */
const MEMBERS_SHOWN = 500;

export interface GroupBundleDto {
  id: string;
  name: string;
  gitRepoId: string;
  gitRepoName: string;
  /** Position (0-based) of the first of the bundle's targets that selects through the group. */
  targetIndex: number;
  /** The targets are the repository's (the bundle has none of its own). */
  isInherited: boolean;
}

export interface ClusterGroupDetailDto extends ClusterGroupDto {
  /** The clusters the group's selector matches now, by name (at most 500). */
  clusters: ClusterDto[];
  /** Bundles with a target that names this group or selects it by its labels. */
  bundles: GroupBundleDto[];
}

/** One group with its members and the bundles whose targets go through it (its detail page). */
export async function getClusterGroup({
  ctx,
  principal,
  groupId,
}: {
  ctx: Pick<CoreContext, 'db'>;
  principal: Principal;
  groupId: string;
}): Promise<ClusterGroupDetailDto> {
  const db = forWorkspace(ctx.db, principal.workspaceId);
  const group = await db.clusterGroup.findUnique({ where: { id: groupId } });
  if (!group) throw AppError.notFound('cluster group');
  const facts = {
    name: group.name,
    labels: labelsOf(group.labels),
    selector: selectorOf(group.selector),
  };
  const [dto, memberIds, bundles] = await Promise.all([
    toClusterGroupDto(ctx, group),
    clusterIdsMatching(ctx.db, principal.workspaceId, facts.selector),
    db.bundle.findMany({
      where: { isPresent: true, gitRepo: { deletedAt: null } },
      include: { gitRepo: { select: { id: true, name: true, targets: true } } },
      orderBy: { name: 'asc' },
    }),
  ]);
  const clusters = await db.cluster.findMany({
    where: { id: { in: memberIds.slice(0, 10_000) } },
    orderBy: { name: 'asc' },
    take: MEMBERS_SHOWN,
  });
  return {
    ...dto,
    clusters: clusters.map(toClusterDto),
    bundles: bundles.flatMap((bundle): GroupBundleDto[] => {
      const isInherited = bundle.targets === null;
      const targets = storedTargets(isInherited ? bundle.gitRepo.targets : bundle.targets);
      const targetIndex = targets.findIndex((target) => targetSelectsThroughGroup(target, facts));
      if (targetIndex < 0) return [];
      return [
        {
          id: bundle.id,
          name: bundle.name,
          gitRepoId: bundle.gitRepo.id,
          gitRepoName: bundle.gitRepo.name,
          targetIndex,
          isInherited,
        },
      ];
    }),
  };
}
