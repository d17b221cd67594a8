import { executeSql, type Db } from '../client.ts';
import { Prisma } from '../generated/prisma/client.ts';
import type { DeploymentState } from '../generated/prisma/enums.ts';

/** One Event row as written by the worker and the API (ids are made by the caller). */
export interface EventRow {
  id: string;
  workspaceId: string;
  at: Date;
  type: string;
  clusterId: string | null;
  bundleId: string | null;
  deploymentId: string | null;
  fromState: DeploymentState | null;
  toState: DeploymentState | null;
  message: string;
}

/**
 * Inserts events in one statement (`INSERT ... SELECT FROM unnest(...)`), as the deployment
 * writes do. Every state change of every deployment lands here (three per deployment in a
 * commit's rollout), and Prisma's createMany cost ten times the CPU for the same rows (measured:
 * 18.8 ms against 1.9 ms per 100 rows), which made it the largest single share of a deploy.
 */
export async function insertEvents(db: Db, rows: readonly EventRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const column = <K extends keyof EventRow>(key: K) => rows.map((row) => row[key]);
  return executeSql(
    db,
    Prisma.sql`
    INSERT INTO "Event" ("id", "workspaceId", "at", "type", "clusterId", "bundleId",
      "deploymentId", "fromState", "toState", "message")
    SELECT v.id, v.workspace_id, (v.at::timestamptz AT TIME ZONE 'UTC'), v.type, v.cluster_id,
      v.bundle_id, v.deployment_id, v.from_state::"DeploymentState", v.to_state::"DeploymentState",
      v.message
    FROM unnest(
      ${column('id')}::text[], ${column('workspaceId')}::text[],
      ${rows.map((row) => row.at.toISOString())}::text[], ${column('type')}::text[],
      ${column('clusterId')}::text[], ${column('bundleId')}::text[],
      ${column('deploymentId')}::text[], ${column('fromState')}::text[],
      ${column('toState')}::text[], ${column('message')}::text[]
    ) AS v(id, workspace_id, at, type, cluster_id, bundle_id, deployment_id, from_state, to_state, message)`,
  );
}
