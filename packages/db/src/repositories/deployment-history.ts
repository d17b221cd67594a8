import { executeSql, type Db } from '../client.ts';
import { Prisma } from '../generated/prisma/client.ts';

export type HistoryResult = 'applied' | 'failed';
export type HistoryTrigger = 'commit' | 'drift' | 'retry' | 'rollback';

export interface DeploymentHistoryRow {
  id: string;
  workspaceId: string;
  deploymentId: string;
  commit: string | null;
  revisionHash: string;
  customization: string;
  result: HistoryResult;
  error: string;
  trigger: HistoryTrigger;
  at: Date;
}

/**
 * Appends history entries (many deploy jobs' at once) and trims each deployment touched to its
 * newest `keep` entries, so a deployment that fails and retries all night cannot grow the table
 * without bound. Two statements whatever the number of entries.
 */
export async function writeDeploymentHistory(
  db: Db,
  rows: readonly DeploymentHistoryRow[],
  keep: number,
): Promise<void> {
  if (rows.length === 0) return;
  const column = <K extends keyof DeploymentHistoryRow>(key: K) => rows.map((row) => row[key]);
  // Joined to the deployments, so that an entry of a deployment deleted meanwhile (pruned,
  // untargeted) is dropped rather than failing the other deploy jobs' entries of the batch.
  await executeSql(
    db,
    Prisma.sql`
    INSERT INTO "DeploymentHistory"
      ("id", "workspaceId", "deploymentId", "commit", "revisionHash", "customization", "result", "error", "trigger", "at")
    SELECT v.id, v.workspace_id, v.deployment_id, v.commit, v.revision_hash, v.customization,
      v.result, v.error, v.trigger, (v.at::timestamptz AT TIME ZONE 'UTC')
    FROM unnest(
      ${column('id')}::text[], ${column('workspaceId')}::text[], ${column('deploymentId')}::text[],
      ${column('commit')}::text[], ${column('revisionHash')}::text[], ${column('customization')}::text[],
      ${column('result')}::text[], ${column('error')}::text[], ${column('trigger')}::text[],
      ${rows.map((row) => row.at.toISOString())}::text[]
    ) AS v(id, workspace_id, deployment_id, commit, revision_hash, customization, result, error, trigger, at)
    JOIN "BundleDeployment" AS d ON d.id = v.deployment_id AND d."workspaceId" = v.workspace_id`,
  );
  const deploymentIds = [...new Set(rows.map((row) => row.deploymentId))];
  await executeSql(
    db,
    Prisma.sql`
    DELETE FROM "DeploymentHistory" AS h
    USING (
      SELECT id, row_number() OVER (PARTITION BY "deploymentId" ORDER BY "at" DESC, id DESC) AS n
      FROM "DeploymentHistory" WHERE "deploymentId" = ANY(${deploymentIds}::text[])
    ) AS ranked
    WHERE h.id = ranked.id AND ranked.n > ${keep}`,
  );
}
