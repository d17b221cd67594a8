import { createHash } from 'node:crypto';
import { Prisma, queryRows, readFleetMatrixStamp } from '@flotilla/db';
import { DEPLOYMENT_STATES, type DeploymentState } from '@flotilla/engine';
import type { Principal } from '../auth/principal.ts';
import { labelsOf } from '../clusters/serialize.ts';
import type { CoreContext } from '../context.ts';
import { matchingClusterIds, matrixBundles, type MatrixFilters } from './matrix-axes.ts';

/** One letter per state in `rows`; `.` where a cluster has no deployment of a bundle. */
export const MATRIX_STATE_CODES: Record<DeploymentState, string> = {
  Offline: 'O',
  ErrApplied: 'E',
  WaitApplied: 'W',
  Modified: 'M',
  OutOfSync: 'S',
  Pending: 'P',
  NotReady: 'N',
  Ready: 'R',
};
export const MATRIX_NO_CELL = '.';

/**
 * `GET /api/v1/fleet/matrix?format=compact`: the same cells as the full form, as one string per
 * cluster (row) with one letter per bundle (column, in `bundles` order). 50,000 cells are
 * 50,000 letters instead of 50,000 objects with three ids each.
 */
export interface CompactFleetMatrix {
  format: 'compact';
  /** Letter to state; `.` is "no deployment". */
  legend: Record<string, DeploymentState | null>;
  clusters: {
    id: string;
    name: string;
    labels: Record<string, string>;
    connectivity: 'Online' | 'Offline' | 'Unknown';
    isSimulated: boolean;
  }[];
  bundles: {
    id: string;
    name: string;
    gitRepoId: string;
    gitRepoName: string;
    /** Paused: its deployments keep what they have until it is resumed. */
    isPaused: boolean;
    /** Why its last render failed (the clusters keep the last good revision); "" when it did not. */
    renderError: string;
    /** Deployments of this bundle (among the clusters shown) per state. */
    summary: Record<DeploymentState, number>;
  }[];
  /** rows[i] is clusters[i]; its j-th letter is the cell of bundles[j]. */
  rows: string[];
  summary: Record<DeploymentState, number>;
}

export type CompactFleetMatrixResult =
  | { etag: string; notModified: true }
  | { etag: string; notModified: false; matrix: CompactFleetMatrix };

const LEGEND: CompactFleetMatrix['legend'] = {
  ...Object.fromEntries(DEPLOYMENT_STATES.map((state) => [MATRIX_STATE_CODES[state], state])),
  [MATRIX_NO_CELL]: null,
};

// Constants only: the letters are built into the SQL, never anything from a request.
const STATE_CODE_SQL = Prisma.raw(
  `CASE d.state ${DEPLOYMENT_STATES.map((state) => `WHEN '${state}' THEN '${MATRIX_STATE_CODES[state]}'`).join(' ')} END`,
);

function emptySummary(): Record<DeploymentState, number> {
  return Object.fromEntries(DEPLOYMENT_STATES.map((state) => [state, 0])) as Record<
    DeploymentState,
    number
  >;
}

/** If-None-Match (RFC 9110 13.1.2): `*`, or a list of tags compared weakly. */
function matchesAny(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .includes(etag);
}

/**
 * The compact matrix, or only its ETag when the client's copy is current: the tag is computed
 * first, from the workspace's matrix stamp (see readFleetMatrixStamp) and the filters, so a 304
 * costs one small query and builds nothing.
 */
export async function getCompactFleetMatrix({
  ctx,
  principal,
  selector,
  bundle,
  ifNoneMatch,
}: {
  ctx: Pick<CoreContext, 'db'>;
  principal: Principal;
  ifNoneMatch?: string | undefined;
} & MatrixFilters): Promise<CompactFleetMatrixResult> {
  const stamp = await readFleetMatrixStamp(ctx.db, principal.workspaceId);
  const digest = createHash('sha256')
    .update(JSON.stringify([principal.workspaceId, stamp.changes, selector ?? '', bundle ?? '']))
    .digest('base64url')
    .slice(0, 27);
  const etag = `"fm1-${digest}"`;
  if (matchesAny(ifNoneMatch, etag)) return { etag, notModified: true };

  const clusterIds = await matchingClusterIds(ctx, principal, selector);
  const bundles = await matrixBundles(ctx, principal, bundle);
  const bundleIds = bundles.map((entry) => entry.id);
  // Narrow columns only (an index holds them all), one row per cluster: "<column><letter>,...".
  // On the driver (`queryRows`), as every poll's reads are (a few ms less than through
  // Prisma at 1000 x 50; the cells' scan in Postgres is most of what is left). Raw SQL, so the
  // workspace is an explicit condition here.
  const [clusters, cellRows] = await Promise.all([
    queryRows<{
      id: string;
      name: string;
      labels: unknown;
      connectivity: CompactFleetMatrix['clusters'][number]['connectivity'];
      isSimulated: boolean;
    }>(
      ctx.db,
      Prisma.sql`
        SELECT id, name, labels, connectivity, "isSimulated" FROM "Cluster"
        WHERE "workspaceId" = ${principal.workspaceId}
          AND (${clusterIds === undefined} OR id = ANY(${clusterIds ?? []}::text[]))
        ORDER BY name`,
    ),
    // One index-only scan of the workspace's cells (the OFFSET 0 keeps it one scan: joined
    // directly, Postgres probes the index once per bundle, two to three times slower at 50,000
    // cells), then each bundle id becomes its column number through a 50-row hash.
    queryRows<{ clusterId: string; cells: string }>(
      ctx.db,
      Prisma.sql`
        SELECT s."clusterId" AS "clusterId", string_agg((c.ord - 1)::text || s.code, ',') AS cells
        FROM (
          SELECT d."clusterId", d."bundleId", ${STATE_CODE_SQL} AS code
          FROM "BundleDeployment" d
          WHERE d."workspaceId" = ${principal.workspaceId} AND NOT d."isOrphaned"
            AND d."bundleId" = ANY(${bundleIds}::text[])
            AND (${clusterIds === undefined} OR d."clusterId" = ANY(${clusterIds ?? []}::text[]))
          OFFSET 0
        ) AS s
        JOIN unnest(${bundleIds}::text[]) WITH ORDINALITY AS c(id, ord) ON c.id = s."bundleId"
        GROUP BY s."clusterId"`,
    ),
  ]);

  const cellsByCluster = new Map(cellRows.map((row) => [row.clusterId, row.cells]));
  const summary = emptySummary();
  const bundleSummaries = bundles.map(() => emptySummary());
  const stateOfCode = new Map(
    DEPLOYMENT_STATES.map((state) => [MATRIX_STATE_CODES[state], state] as const),
  );
  const rows = clusters.map((cluster) => {
    const letters: string[] = new Array<string>(bundles.length).fill(MATRIX_NO_CELL);
    const cells = cellsByCluster.get(cluster.id);
    if (cells) {
      for (const cell of cells.split(',')) {
        const column = Number(cell.slice(0, -1));
        const code = cell.slice(-1);
        const state = stateOfCode.get(code);
        const columnSummary = bundleSummaries[column];
        if (state === undefined || columnSummary === undefined) continue;
        letters[column] = code;
        summary[state] += 1;
        columnSummary[state] += 1;
      }
    }
    return letters.join('');
  });

  return {
    etag,
    notModified: false,
    matrix: {
      format: 'compact',
      legend: LEGEND,
      clusters: clusters.map((cluster) => ({
        id: cluster.id,
        name: cluster.name,
        labels: labelsOf(cluster.labels),
        connectivity: cluster.connectivity,
        isSimulated: cluster.isSimulated,
      })),
      bundles: bundles.map((entry, index) => ({
        id: entry.id,
        name: entry.name,
        gitRepoId: entry.gitRepoId,
        gitRepoName: entry.gitRepo.name,
        isPaused: entry.paused,
        renderError: entry.renderError,
        summary: bundleSummaries[index] ?? emptySummary(),
      })),
      rows,
      summary,
    },
  };
}
