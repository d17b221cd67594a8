import { executeSql, querySql, type Db } from '../client.ts';
import type { DeploymentState } from '../generated/prisma/enums.ts';
import { Prisma } from '../generated/prisma/client.ts';

/**
 * Multi-row writes of BundleDeployments: one statement for a whole plan or monitor pass, not
 * one transaction per row. A commit touching 1000 clusters is one UPDATE, not 1000.
 */

// Prisma keeps DateTime as UTC in `timestamp(3)` columns. Times travel as ISO text and are
// converted in SQL, so the process's time zone can never shift them.
function iso(date: Date | null): string | null {
  return date ? date.toISOString() : null;
}

function utc(column: string): Prisma.Sql {
  return Prisma.raw(`(${column}::timestamptz AT TIME ZONE 'UTC')`);
}

export interface DeploymentPlanRow {
  id: string;
  customization: string;
  targetHash: string | null;
  targetCommit: string | null;
  desiredHash: string | null;
  desiredCommit: string | null;
  state: DeploymentState;
  message: string;
  isOrphaned: boolean;
  /** Set when the state changes; null keeps the old time. */
  stateChangedAt: Date | null;
  /** Set when a deploy job was queued with this write. */
  lastEnqueuedAt: Date | null;
  /** What the plan read of the row and decided from: the row is written only while it holds it. */
  read: {
    state: DeploymentState;
    appliedHash: string | null;
    desiredHash: string | null;
    targetCommit: string | null;
  };
}

/**
 * A plan's rows, each written only while the row still holds the state and revisions the plan
 * read: a deploy, a check or another plan that wrote the row since then knew better (a plan that
 * read a stale OutOfSync would otherwise write 'checking the cluster' over a deploy's Ready).
 * Returns the ids written; the planner plans the others again from what they hold now.
 */
export async function writeDeploymentPlans(
  db: Db,
  rows: readonly DeploymentPlanRow[],
): Promise<string[]> {
  if (rows.length === 0) return [];
  const column = <K extends keyof DeploymentPlanRow>(key: K) => rows.map((row) => row[key]);
  const written = await querySql<{ id: string }>(
    db,
    Prisma.sql`
    UPDATE "BundleDeployment" AS d SET
      "customization" = v.customization,
      "targetHash" = v.target_hash,
      "targetCommit" = v.target_commit,
      "desiredHash" = v.desired_hash,
      "desiredCommit" = v.desired_commit,
      "state" = v.state::"DeploymentState",
      "message" = v.message,
      "isOrphaned" = v.is_orphaned,
      "stateChangedAt" = COALESCE(${utc('v.state_changed_at')}, d."stateChangedAt"),
      "lastEnqueuedAt" = COALESCE(${utc('v.last_enqueued_at')}, d."lastEnqueuedAt"),
      "updatedAt" = now()
    FROM unnest(
      ${column('id')}::text[], ${column('customization')}::text[], ${column('targetHash')}::text[],
      ${column('targetCommit')}::text[], ${column('desiredHash')}::text[], ${column('desiredCommit')}::text[],
      ${column('state')}::text[], ${column('message')}::text[], ${column('isOrphaned')}::boolean[],
      ${rows.map((row) => iso(row.stateChangedAt))}::text[], ${rows.map((row) => iso(row.lastEnqueuedAt))}::text[],
      ${rows.map((row) => row.read.state)}::text[], ${rows.map((row) => row.read.appliedHash)}::text[],
      ${rows.map((row) => row.read.desiredHash)}::text[], ${rows.map((row) => row.read.targetCommit)}::text[]
    ) AS v(id, customization, target_hash, target_commit, desired_hash, desired_commit, state, message, is_orphaned, state_changed_at, last_enqueued_at,
      read_state, read_applied_hash, read_desired_hash, read_target_commit)
    WHERE d.id = v.id
      AND d."state"::text = v.read_state
      AND d."appliedHash" IS NOT DISTINCT FROM v.read_applied_hash
      AND d."desiredHash" IS NOT DISTINCT FROM v.read_desired_hash
      AND d."targetCommit" IS NOT DISTINCT FROM v.read_target_commit
    RETURNING d.id`,
  );
  return written.map((row) => row.id);
}

/** The states a deployment at rest may hold: a plan with the same revision leaves them as they are. */
const SETTLED_STATES = Prisma.raw(`'Ready', 'NotReady', 'Modified', 'ErrApplied', 'Offline'`);

/**
 * Moves a bundle's settled deployments from commit `from` to commit `to`, whose renders are the
 * same revisions: what a plan of `to` would write for them (the new commit, the same revision
 * and state) in one statement, without reading them. A deployment is settled when it runs the
 * revision it targets (applied = desired = target) in a state at rest. Returns how many were
 * moved and how many of the bundle's targeted deployments are left on another commit (those
 * need a plan).
 */
export async function carryDeploymentsToCommit(
  db: Db,
  { bundleId, from, to }: { bundleId: string; from: string; to: string },
): Promise<{ carried: number; left: number }> {
  const carried = await executeSql(
    db,
    Prisma.sql`
    UPDATE "BundleDeployment" AS d SET
      "targetCommit" = ${to},
      "desiredCommit" = ${to},
      "updatedAt" = now()
    WHERE d."bundleId" = ${bundleId}
      AND NOT d."isOrphaned"
      AND d."targetCommit" = ${from}
      AND d."desiredCommit" = ${from}
      AND d."targetHash" IS NOT NULL
      AND d."desiredHash" = d."targetHash"
      AND d."appliedHash" = d."targetHash"
      AND d."state"::text IN (${SETTLED_STATES})`,
  );
  const [row] = await querySql<{ remaining: string }>(
    db,
    Prisma.sql`
    SELECT count(*)::text AS remaining FROM "BundleDeployment"
    WHERE "bundleId" = ${bundleId} AND NOT "isOrphaned" AND "targetCommit" IS DISTINCT FROM ${to}`,
  );
  return { carried, left: Number(row?.remaining ?? 0) };
}

export interface DeploymentStatusRow {
  id: string;
  state: DeploymentState;
  message: string;
  counts: Prisma.InputJsonValue;
  resources: Prisma.InputJsonValue;
  stateChangedAt: Date | null;
  checkedAt: Date;
}

/** The SET clauses of a status write, from `v` with the columns STATUS_COLUMNS names. */
const STATUS_SET = Prisma.sql`
      "state" = v.state::"DeploymentState",
      "message" = v.message,
      "counts" = v.counts,
      "resources" = v.resources,
      "stateChangedAt" = COALESCE(${utc('v.state_changed_at')}, d."stateChangedAt"),
      "lastCheckedAt" = ${utc('v.checked_at')},
      "updatedAt" = now()`;

/** The status fields of each row as arrays for unnest, in the order of STATUS_COLUMNS. */
function statusArrays(rows: readonly DeploymentStatusRow[]): Prisma.Sql {
  return Prisma.sql`
      ${rows.map((row) => row.state)}::text[], ${rows.map((row) => row.message)}::text[],
      ${rows.map((row) => JSON.stringify(row.counts))}::jsonb[], ${rows.map((row) => JSON.stringify(row.resources))}::jsonb[],
      ${rows.map((row) => iso(row.stateChangedAt))}::text[], ${rows.map((row) => iso(row.checkedAt))}::text[]`;
}

const STATUS_COLUMNS = Prisma.raw(
  'state, message, counts, resources, state_changed_at, checked_at',
);

export async function writeDeploymentStatuses(
  db: Db,
  rows: readonly DeploymentStatusRow[],
): Promise<number> {
  if (rows.length === 0) return 0;
  return executeSql(
    db,
    Prisma.sql`
    UPDATE "BundleDeployment" AS d SET ${STATUS_SET}
    FROM unnest(${rows.map((row) => row.id)}::text[], ${statusArrays(rows)})
      AS v(id, ${STATUS_COLUMNS})
    WHERE d.id = v.id`,
  );
}

export interface DeploymentApplyRow extends DeploymentStatusRow {
  appliedHash: string;
  appliedCommit: string | null;
  appliedAt: Date;
  /** What is now on the cluster: [{ apiVersion, kind, namespace, name }]. */
  inventory: Prisma.InputJsonValue;
}

/**
 * Successful applies and what the check right after each found, for many deployments (the
 * deploy jobs running side by side) in one statement: the applied revision, the inventory, a
 * cleared error, and the state, counts and resources of the check.
 */
export async function writeDeploymentApplies(
  db: Db,
  rows: readonly DeploymentApplyRow[],
): Promise<number> {
  if (rows.length === 0) return 0;
  return executeSql(
    db,
    Prisma.sql`
    UPDATE "BundleDeployment" AS d SET
      "appliedHash" = v.applied_hash,
      "appliedCommit" = v.applied_commit,
      "lastAppliedAt" = ${utc('v.applied_at')},
      "lastError" = NULL,
      "attempts" = 0,
      "inventory" = v.inventory, ${STATUS_SET}
    FROM unnest(
      ${rows.map((row) => row.id)}::text[], ${rows.map((row) => row.appliedHash)}::text[],
      ${rows.map((row) => row.appliedCommit)}::text[], ${rows.map((row) => iso(row.appliedAt))}::text[],
      ${rows.map((row) => JSON.stringify(row.inventory))}::jsonb[], ${statusArrays(rows)}
    ) AS v(id, applied_hash, applied_commit, applied_at, inventory, ${STATUS_COLUMNS})
    WHERE d.id = v.id`,
  );
}

/**
 * Status rows of deployments checked at one applied revision, written only where that revision
 * is still the applied one (a newer apply may have happened since the check: the rollout
 * tracker's checks and monitor passes both read a row before they write). Returns the ids
 * written.
 */
export async function writeDeploymentStatusesAt(
  db: Db,
  rows: readonly (DeploymentStatusRow & { appliedHash: string })[],
): Promise<string[]> {
  if (rows.length === 0) return [];
  const written = await querySql<{ id: string }>(
    db,
    Prisma.sql`
    UPDATE "BundleDeployment" AS d SET ${STATUS_SET}
    FROM unnest(
      ${rows.map((row) => row.id)}::text[], ${rows.map((row) => row.appliedHash)}::text[], ${statusArrays(rows)}
    ) AS v(id, applied_hash, ${STATUS_COLUMNS})
    WHERE d.id = v.id AND d."appliedHash" = v.applied_hash
    RETURNING d.id`,
  );
  return written.map((row) => row.id);
}

/** Marks deployments checked at `checkedAt` whose status the check found unchanged. */
export async function touchDeploymentsChecked(
  db: Db,
  ids: readonly string[],
  checkedAt: Date,
): Promise<number> {
  if (ids.length === 0) return 0;
  return executeSql(
    db,
    Prisma.sql`
    UPDATE "BundleDeployment" SET "lastCheckedAt" = (${iso(checkedAt)}::timestamptz AT TIME ZONE 'UTC')
    WHERE id = ANY(${[...ids]}::text[])`,
  );
}

export interface DeploymentStateRow {
  id: string;
  state: DeploymentState;
  message: string;
  stateChangedAt: Date;
}

/**
 * A new state and message for many deployments in one statement (deploy jobs starting side by
 * side each mark theirs WaitApplied): no counts, resources or inventory.
 */
export async function writeDeploymentStates(
  db: Db,
  rows: readonly DeploymentStateRow[],
): Promise<number> {
  if (rows.length === 0) return 0;
  return executeSql(
    db,
    Prisma.sql`
    UPDATE "BundleDeployment" AS d SET
      "state" = v.state::"DeploymentState",
      "message" = v.message,
      "stateChangedAt" = ${utc('v.state_changed_at')},
      "updatedAt" = now()
    FROM unnest(
      ${rows.map((row) => row.id)}::text[], ${rows.map((row) => row.state)}::text[],
      ${rows.map((row) => row.message)}::text[], ${rows.map((row) => iso(row.stateChangedAt))}::text[]
    ) AS v(id, state, message, state_changed_at)
    WHERE d.id = v.id`,
  );
}
