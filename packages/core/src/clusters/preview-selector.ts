import { clusterIdsMatching, forWorkspace } from '@flotilla/db';
import type { Principal } from '../auth/principal.ts';
import type { CoreContext } from '../context.ts';
import { parseSelectorInput } from './list-clusters.ts';
import { toClusterDto, type ClusterDto } from './serialize.ts';

/** The clusters a selector (object or string form) matches right now. */
export async function previewSelector({
  ctx,
  principal,
  selector,
}: {
  ctx: Pick<CoreContext, 'db'>;
  principal: Principal;
  selector: unknown;
}): Promise<{ items: ClusterDto[] }> {
  const parsed = parseSelectorInput(selector, 'selector');
  const ids = await clusterIdsMatching(ctx.db, principal.workspaceId, parsed);
  const clusters = await forWorkspace(ctx.db, principal.workspaceId).cluster.findMany({
    where: { id: { in: ids } },
    orderBy: { name: 'asc' },
  });
  return { items: clusters.map(toClusterDto) };
}
