import type { Db } from '../client.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { selectorToSql, type SelectorLike } from '../selector-sql.ts';

/**
 * Ids of one workspace's clusters that a label selector matches, answered by Postgres through
 * the GIN index on labels (raw SQL, so the workspace is an explicit argument here).
 */
export async function clusterIdsMatching(db: Db, workspaceId: string, selector: SelectorLike): Promise<string[]> {
  const rows = await db.$queryRaw<{ id: string }[]>(
    Prisma.sql`SELECT id FROM "Cluster" WHERE "workspaceId" = ${workspaceId} AND (${selectorToSql(selector)}) ORDER BY id`,
  );
  return rows.map((row) => row.id);
}
