import { clusterIdsMatching, type ClusterGroup } from '@flotilla/db';
import { selectorToString, type LabelSelector } from '@flotilla/engine';
import { labelsOf } from '../clusters/serialize.ts';
import type { CoreContext } from '../context.ts';
import { selectorOf } from './cluster-group-columns.ts';

export interface ClusterGroupDto {
  id: string;
  name: string;
  selector: LabelSelector;
  selectorText: string;
  labels: Record<string, string>;
  clusterCount: number;
  createdAt: string;
}

export async function toClusterGroupDto(
  ctx: Pick<CoreContext, 'db'>,
  group: ClusterGroup,
): Promise<ClusterGroupDto> {
  const selector = selectorOf(group.selector);
  const ids = await clusterIdsMatching(ctx.db, group.workspaceId, selector);
  return {
    id: group.id,
    name: group.name,
    selector,
    selectorText: selectorToString(selector),
    labels: labelsOf(group.labels),
    clusterCount: ids.length,
    createdAt: group.createdAt.toISOString(),
  };
}
