import { queryRows, type Db } from './client.ts';
import { Prisma } from './generated/prisma/client.ts';

/**
 * What the fleet matrix's ETag is made of, for one workspace: the sum of
 * FleetMatrixChange.weight, which row triggers raise in the same transaction as every write
 * that changes what the matrix shows, once per transaction and workspace:
 * - a BundleDeployment's cell (state, orphaned, which cell): migrations
 *   20261206040000_fleet_matrix_changes and 20261206041000_fleet_matrix_row_triggers;
 * - its rows and columns (a cluster's name, labels, connectivity; a bundle's name, presence,
 *   paused flag and render error; its repository's name and deletion):
 *   20261207150000_fleet_matrix_axis_triggers. Cluster `lastSeenAt` is left out on purpose: it
 *   changes at every probe, and the matrix does not show it.
 * Append-only, so it is raised by every committed change whatever order transactions commit
 * in, and writers never wait on a shared counter. One short index scan: a 304 costs no more
 * at 1000 clusters than at 10.
 * Read it BEFORE the data it stamps: a change committed in between then gives new data under
 * the old stamp (the next request sees a newer one and gets it again), never old data under the
 * new stamp (which a client would keep forever).
 */
export interface FleetMatrixStamp {
  changes: string;
}

/** Change rows per workspace past which a read folds them into one of the same total weight. */
const FOLD_AFTER = 64;

export async function readFleetMatrixStamp(db: Db, workspaceId: string): Promise<FleetMatrixStamp> {
  // On the driver (`queryRows`): a 304 is this statement and little else.
  const [row] = await queryRows<{ changes: string; changeRows: number }>(
    db,
    Prisma.sql`
      SELECT coalesce(sum(f.weight), 0)::text AS changes, count(*)::int AS "changeRows"
      FROM "FleetMatrixChange" f WHERE f."workspaceId" = ${workspaceId}`,
  );
  if ((row?.changeRows ?? 0) > FOLD_AFTER) await foldFleetMatrixChanges(db, workspaceId);
  return { changes: row?.changes ?? '0' };
}

/**
 * Replaces a workspace's committed change rows by one row of the same total weight, so the
 * sum stays a short index scan. The total seen by any snapshot is the same before and after;
 * rows of transactions not yet committed are invisible to the DELETE and stay. One folder at a
 * time per workspace (a transaction-scoped advisory lock); the others skip.
 */
export async function foldFleetMatrixChanges(db: Db, workspaceId: string): Promise<void> {
  await db.$transaction(async (tx) => {
    const [lock] = await tx.$queryRaw<{ locked: boolean }[]>`
      SELECT pg_try_advisory_xact_lock(hashtext('fleet-matrix-fold'), hashtext(${workspaceId})) AS locked`;
    if (!lock?.locked) return;
    await tx.$executeRaw`
      WITH folded AS (
        DELETE FROM "FleetMatrixChange" WHERE "workspaceId" = ${workspaceId} RETURNING weight
      )
      INSERT INTO "FleetMatrixChange" ("workspaceId", weight)
      SELECT ${workspaceId}, sum(weight) FROM folded HAVING count(*) > 0`;
  });
}
