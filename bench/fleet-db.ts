import type { Db } from '@flotilla/db';

/*
 * What the bench reads from Postgres while it waits: progress counts and the times the platform
 * itself recorded (lastEnqueuedAt, lastAppliedAt, stateChangedAt). Times come back as epoch
 * milliseconds computed in SQL: the columns are UTC `timestamp(3)`, and EXTRACT(EPOCH) of a
 * timestamp without time zone reads it as UTC, whatever the session's time zone.
 */

export interface Progress {
  total: number;
  /** Deployments whose applied commit is the one asked for. */
  applied: number;
  /** ... and that are Ready after that apply. */
  ready: number;
}

function toNumber(value: unknown): number {
  return typeof value === 'bigint' ? Number(value) : Number(value ?? 0);
}

export class FleetDb {
  constructor(readonly db: Db) {}

  async onlineClusters(): Promise<number> {
    const [row] = await this.db.$queryRaw<{ count: bigint }[]>`
      SELECT count(*) AS count FROM "Cluster" WHERE connectivity = 'Online'`;
    return toNumber(row?.count);
  }

  /** Deployments shown Offline (their cluster is unreachable). */
  async offlineDeployments(): Promise<number> {
    const [row] = await this.db.$queryRaw<{ count: bigint }[]>`
      SELECT count(*) AS count FROM "BundleDeployment" WHERE state = 'Offline' AND NOT "isOrphaned"`;
    return toNumber(row?.count);
  }

  async bundles(): Promise<{ id: string; path: string; commit: string | null }[]> {
    return this.db.$queryRaw`SELECT id, path, commit FROM "Bundle" ORDER BY path`;
  }

  async repoCommit(): Promise<string | null> {
    const [row] = await this.db.$queryRaw<{ commit: string | null }[]>`
      SELECT commit FROM "GitRepo" LIMIT 1`;
    return row?.commit ?? null;
  }

  /** Progress towards `commit` of every deployment, or of one bundle's. */
  async progress(commit: string, bundleId?: string): Promise<Progress> {
    const [row] = bundleId
      ? await this.db.$queryRaw<{ total: bigint; applied: bigint; ready: bigint }[]>`
          SELECT count(*) AS total,
                 count(*) FILTER (WHERE "appliedCommit" = ${commit}) AS applied,
                 count(*) FILTER (WHERE "appliedCommit" = ${commit} AND state = 'Ready') AS ready
          FROM "BundleDeployment" WHERE NOT "isOrphaned" AND "bundleId" = ${bundleId}`
      : await this.db.$queryRaw<{ total: bigint; applied: bigint; ready: bigint }[]>`
          SELECT count(*) AS total,
                 count(*) FILTER (WHERE "appliedCommit" = ${commit}) AS applied,
                 count(*) FILTER (WHERE "appliedCommit" = ${commit} AND state = 'Ready') AS ready
          FROM "BundleDeployment" WHERE NOT "isOrphaned"`;
    return {
      total: toNumber(row?.total),
      applied: toNumber(row?.applied),
      ready: toNumber(row?.ready),
    };
  }

  /** Deployments planned at `commit` (the plan moved their target to it) and bundles rendered at it. */
  async planned(commit: string): Promise<{ bundlesRendered: number; deploymentsPlanned: number }> {
    const [row] = await this.db.$queryRaw<{ rendered: bigint; planned: bigint }[]>`
      SELECT (SELECT count(*) FROM "Bundle" WHERE commit = ${commit}) AS rendered,
             (SELECT count(*) FROM "BundleDeployment" WHERE "targetCommit" = ${commit}) AS planned`;
    return { bundlesRendered: toNumber(row?.rendered), deploymentsPlanned: toNumber(row?.planned) };
  }

  /** When each stage of a change happened for one bundle's deployments (epoch ms). */
  async stageTimes(
    commit: string,
    bundleId?: string,
  ): Promise<{
    fetchedAt: number | null;
    firstEnqueuedAt: number | null;
    firstAppliedAt: number | null;
    lastAppliedAt: number | null;
    lastReadyAt: number | null;
  }> {
    const [row] = await this.db.$queryRaw<
      {
        fetched: number | null;
        first_enqueued: number | null;
        first_applied: number | null;
        last_applied: number | null;
        last_ready: number | null;
      }[]
    >`
      SELECT (SELECT EXTRACT(EPOCH FROM "fetchedAt") * 1000 FROM "GitRepo" WHERE commit = ${commit} LIMIT 1)::float8 AS fetched,
             (EXTRACT(EPOCH FROM min("lastEnqueuedAt")) * 1000)::float8 AS first_enqueued,
             (EXTRACT(EPOCH FROM min("lastAppliedAt")) * 1000)::float8 AS first_applied,
             (EXTRACT(EPOCH FROM max("lastAppliedAt")) * 1000)::float8 AS last_applied,
             (EXTRACT(EPOCH FROM max("stateChangedAt") FILTER (WHERE state = 'Ready')) * 1000)::float8 AS last_ready
      FROM "BundleDeployment"
      WHERE "appliedCommit" = ${commit} AND (${bundleId ?? null}::text IS NULL OR "bundleId" = ${bundleId ?? null})`;
    return {
      fetchedAt: row?.fetched ?? null,
      firstEnqueuedAt: row?.first_enqueued ?? null,
      firstAppliedAt: row?.first_applied ?? null,
      lastAppliedAt: row?.last_applied ?? null,
      lastReadyAt: row?.last_ready ?? null,
    };
  }

  /** For each cluster, when one bundle's deployment there turned Ready at `commit` (epoch ms). */
  async readyTimes(commit: string, bundleId: string): Promise<number[]> {
    const rows = await this.db.$queryRaw<{ at: number }[]>`
      SELECT (EXTRACT(EPOCH FROM "stateChangedAt") * 1000)::float8 AS at FROM "BundleDeployment"
      WHERE "bundleId" = ${bundleId} AND "appliedCommit" = ${commit} AND state = 'Ready'`;
    return rows.map((row) => row.at);
  }

  /** Per cluster of a bundle: when its deploy was last queued and when it turned Ready at `commit`. */
  async rolloutTimes(
    commit: string,
    bundleId: string,
  ): Promise<{ clusterName: string; queuedAt: number | null; readyAt: number | null }[]> {
    return this.db.$queryRaw`
      SELECT c.name AS "clusterName",
        (EXTRACT(EPOCH FROM d."lastEnqueuedAt") * 1000)::float8 AS "queuedAt",
        CASE WHEN d."appliedCommit" = ${commit} AND d.state = 'Ready'
          THEN (EXTRACT(EPOCH FROM d."stateChangedAt") * 1000)::float8 END AS "readyAt"
      FROM "BundleDeployment" d JOIN "Cluster" c ON c.id = d."clusterId"
      WHERE d."bundleId" = ${bundleId}
      ORDER BY c.name`;
  }

  async appliedObjects(bundleId: string): Promise<unknown> {
    const [row] = await this.db.$queryRaw<{ objects: unknown }[]>`
      SELECT r.objects FROM "BundleRevision" r
      JOIN "BundleDeployment" d ON d."appliedHash" = r.hash AND d."workspaceId" = r."workspaceId"
      WHERE d."bundleId" = ${bundleId} LIMIT 1`;
    return row?.objects;
  }

  async workspaceId(): Promise<string> {
    const [row] = await this.db.$queryRaw<
      { id: string }[]
    >`SELECT "workspaceId" AS id FROM "GitRepo" LIMIT 1`;
    if (!row) throw new Error('no git repo yet');
    return row.id;
  }

  async distinctRenderInputs(): Promise<number> {
    const [row] = await this.db.$queryRaw<
      { count: bigint }[]
    >`SELECT count(*) AS count FROM "BundleRender"`;
    return toNumber(row?.count);
  }

  async deploymentStorage(): Promise<{
    rows: number;
    totalBytes: number;
    averageRowBytes: number;
  }> {
    const [row] = await this.db.$queryRaw<
      { rows: bigint; total: bigint; average: number | null }[]
    >`
      SELECT count(*) AS rows, pg_total_relation_size('"BundleDeployment"') AS total,
             avg(pg_column_size(d.*))::float8 AS average
      FROM "BundleDeployment" d`;
    return {
      rows: toNumber(row?.rows),
      totalBytes: toNumber(row?.total),
      averageRowBytes: Math.round(row?.average ?? 0),
    };
  }

  /** Statements Postgres ran for this database so far (each outside a transaction is one). */
  async transactions(): Promise<number> {
    const [row] = await this.db.$queryRaw<{ count: bigint }[]>`
      SELECT xact_commit + xact_rollback AS count FROM pg_stat_database WHERE datname = current_database()`;
    return toNumber(row?.count);
  }

  /** How Postgres runs the matrix's cells query (the same SQL as packages/core get-fleet-matrix.ts). */
  async explainMatrix(workspaceId: string): Promise<string> {
    const rows = await this.db.$queryRaw<{ 'QUERY PLAN': string }[]>`
      EXPLAIN (ANALYZE, BUFFERS)
      SELECT coalesce(json_agg(json_build_object(
        'clusterId', d."clusterId", 'bundleId', d."bundleId", 'deploymentId', d.id, 'state', d.state
      )), '[]')::text AS cells
      FROM "BundleDeployment" d
      WHERE d."workspaceId" = ${workspaceId} AND NOT d."isOrphaned"
        AND d."bundleId" = ANY((SELECT array_agg(id) FROM "Bundle" WHERE "workspaceId" = ${workspaceId})::text[])`;
    return rows.map((row) => row['QUERY PLAN']).join('\n');
  }

  /** Live and dead row versions of BundleDeployment, and when autovacuum last ran on it. */
  async deploymentTableHealth(): Promise<Record<string, unknown>> {
    const [row] = await this.db.$queryRaw<Record<string, unknown>[]>`
      SELECT n_live_tup::int AS live, n_dead_tup::int AS dead, n_tup_upd::int AS updates,
             n_tup_hot_upd::int AS hot_updates, autovacuum_count::int AS autovacuums,
             last_autovacuum::text AS last_autovacuum
      FROM pg_stat_user_tables WHERE relname = 'BundleDeployment'`;
    return row ?? {};
  }

  async setting(name: string): Promise<string> {
    const [row] = await this.db.$queryRaw<
      { value: string }[]
    >`SELECT current_setting(${name}) AS value`;
    return row?.value ?? '';
  }

  /** What autovacuum does on a production server: dead row versions reclaimed, statistics fresh. */
  async vacuum(): Promise<void> {
    await this.db.$executeRawUnsafe('VACUUM (ANALYZE)');
  }

  async backendPids(): Promise<number[]> {
    const rows = await this.db.$queryRaw<{ pid: number }[]>`
      SELECT pid FROM pg_stat_activity WHERE datname = current_database()`;
    return rows.map((row) => Number(row.pid));
  }
}
