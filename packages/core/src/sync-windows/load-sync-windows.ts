import { Prisma, queryRows, type Db, type SyncWindow as SyncWindowRow } from '@flotilla/db';
import {
  syncWindowVerdict,
  type ClusterGroupFacts,
  type SyncWindow,
  type SyncWindowVerdict,
} from '@flotilla/engine';
import { selectorOf } from '../cluster-groups/cluster-group-columns.ts';
import { labelsOf } from '../clusters/serialize.ts';
import { syncWindowOf } from './sync-window-dto.ts';

/**
 * The workspace's sync windows as the engine reads them (usually none: one cheap query). Every
 * monitor pass asks, so on the driver (`queryRows`), not through Prisma's query compiler.
 */
export async function loadSyncWindows(db: Db, workspaceId: string): Promise<SyncWindow[]> {
  const rows = await queryRows<SyncWindowRow>(
    db,
    Prisma.sql`SELECT * FROM "SyncWindow" WHERE "workspaceId" = ${workspaceId} ORDER BY name`,
  );
  return rows.map(syncWindowOf);
}

/**
 * Whether the sync windows let a change reach this cluster at `now`: what the monitor's drift
 * correction and a manual sync ask. Groups are read only when the workspace has windows.
 */
export async function syncWindowVerdictFor({
  db,
  cluster,
  now,
}: {
  db: Db;
  cluster: { id: string; name: string; labels: unknown; workspaceId: string };
  now: Date;
}): Promise<SyncWindowVerdict> {
  const verdictOf = await loadSyncWindowJudge({ db, workspaceId: cluster.workspaceId, now });
  return verdictOf(cluster);
}

/**
 * The same verdict for many clusters of one workspace: windows and groups are read once, then
 * each cluster is judged in memory (a bulk action over 1,000 deployments asks 1,000 times).
 */
export async function loadSyncWindowJudge({
  db,
  workspaceId,
  now,
}: {
  db: Db;
  workspaceId: string;
  now: Date;
}): Promise<(cluster: { id: string; name: string; labels: unknown }) => SyncWindowVerdict> {
  const windows = await loadSyncWindows(db, workspaceId);
  if (windows.length === 0) return () => ({ isAllowed: true });
  const groupRows = await db.clusterGroup.findMany({ where: { workspaceId } });
  const groups: ClusterGroupFacts[] = groupRows.map((group) => ({
    name: group.name,
    labels: labelsOf(group.labels),
    selector: selectorOf(group.selector),
  }));
  return (cluster) =>
    syncWindowVerdict(
      windows,
      { id: cluster.id, name: cluster.name, labels: labelsOf(cluster.labels) },
      groups,
      now,
    );
}
