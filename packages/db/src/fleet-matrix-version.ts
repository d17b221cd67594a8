import type { Db } from './client.ts';

/**
 * What the fleet matrix's ETag is made of, for one workspace, read in one statement:
 * - `changes`: the sum of FleetMatrixChange.weight, which row triggers on BundleDeployment raise
 *   in the same transaction as every write that changes a cell (state, orphaned, which cell),
 *   once per transaction and workspace: see migrations 20261206040000_fleet_matrix_changes and
 *   20261206041000_fleet_matrix_row_triggers. Append-only, so it is raised by every committed
 *   change whatever order transactions commit in, and writers never wait on a shared counter.
 * - `rows`: a hash of the clusters (rows) and bundles (columns) as the matrix shows them: a few
 *   thousand short rows, cheaper to hash in place than to track with more triggers (a bundle's
 *   paused flag and render error are in it: the compact matrix's column headers show them). Cluster
 *   `lastSeenAt` is left out on purpose: it changes at every probe, and the compact matrix
 *   does not show it.
 * Read it BEFORE the data it stamps: a change committed in between then gives new data under
 * the old stamp (the next request sees a newer one and gets it again), never old data under the
 * new stamp (which a client would keep forever).
 */
export interface FleetMatrixStamp {
  changes: string;
  rows: string;
}

/** Change rows per workspace past which a read folds them into one of the same total weight. */
const FOLD_AFTER = 64;

export async function readFleetMatrixStamp(db: Db, workspaceId: string): Promise<FleetMatrixStamp> {
  const [row] = await db.$queryRaw<{ changes: string; changeRows: number; rows: string }[]>`
    SELECT
      (SELECT coalesce(sum(f.weight), 0)::text FROM "FleetMatrixChange" f
        WHERE f."workspaceId" = ${workspaceId}) AS changes,
      (SELECT count(*)::int FROM "FleetMatrixChange" f
        WHERE f."workspaceId" = ${workspaceId}) AS "changeRows",
      md5(
        (SELECT coalesce(string_agg(concat_ws(E'\\x1f', c.id, c.name, c.labels::text,
            c.connectivity::text, c."isSimulated"::text), E'\\x1e' ORDER BY c.id), '')
          FROM "Cluster" c WHERE c."workspaceId" = ${workspaceId})
        || E'\\x1d' ||
        (SELECT coalesce(string_agg(concat_ws(E'\\x1f', b.id, b.name, b."isPresent"::text,
            b."gitRepoId", g.name, (g."deletedAt" IS NULL)::text, b.paused::text, b."renderError"), E'\\x1e' ORDER BY b.id), '')
          FROM "Bundle" b JOIN "GitRepo" g ON g.id = b."gitRepoId"
          WHERE b."workspaceId" = ${workspaceId})
      ) AS rows`;
  if ((row?.changeRows ?? 0) > FOLD_AFTER) await foldFleetMatrixChanges(db, workspaceId);
  return { changes: row?.changes ?? '0', rows: row?.rows ?? '' };
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
