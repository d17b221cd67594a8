import type { Db } from '../client.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { selectorToSql, type SelectorLike } from '../selector-sql.ts';
import { likeLiteral } from './text-match.ts';

/**
 * Ids of one workspace's clusters that a label selector matches, answered by Postgres through
 * the GIN index on labels (raw SQL, so the workspace is an explicit argument here).
 */
export async function clusterIdsMatching(
  db: Db,
  workspaceId: string,
  selector: SelectorLike,
): Promise<string[]> {
  const rows = await db.$queryRaw<{ id: string }[]>(
    Prisma.sql`SELECT id FROM "Cluster" WHERE "workspaceId" = ${workspaceId} AND (${selectorToSql(selector)}) ORDER BY id`,
  );
  return rows.map((row) => row.id);
}

/**
 * Ids of one workspace's clusters with a label whose key or value contains `text` (any case),
 * at most `limit`: the global search's "by label" for a bare word such as `prod`. `%`, `_` and
 * `\` in the text are matched literally, not as LIKE wildcards.
 */
export async function clusterIdsWithLabelText(
  db: Db,
  workspaceId: string,
  text: string,
  limit: number,
): Promise<string[]> {
  const pattern = `%${likeLiteral(text)}%`;
  const rows = await db.$queryRaw<{ id: string }[]>(
    Prisma.sql`SELECT id FROM "Cluster" WHERE "workspaceId" = ${workspaceId} AND EXISTS (SELECT 1 FROM jsonb_each_text(labels) AS label WHERE label.key ILIKE ${pattern} OR label.value ILIKE ${pattern}) ORDER BY name, id LIMIT ${limit}`,
  );
  return rows.map((row) => row.id);
}

/**
 * Online clusters that just answered a monitor pass or a deploy: they were seen now, and their
 * next connectivity probe can wait (`nextProbeAt` moves forward, never back). A cluster that
 * answers its deploys and monitors needs no probe on top; state changes stay the probe's.
 */
export async function noteClustersSeen(
  db: Db,
  seen: readonly { id: string; nextProbeAt: Date }[],
  seenAt: Date,
): Promise<number> {
  if (seen.length === 0) return 0;
  return db.$executeRaw`
    UPDATE "Cluster" AS c SET
      "lastSeenAt" = (${seenAt.toISOString()}::timestamptz AT TIME ZONE 'UTC'),
      "nextProbeAt" = GREATEST(c."nextProbeAt", (v.next_probe_at::timestamptz AT TIME ZONE 'UTC'))
    FROM unnest(${seen.map((entry) => entry.id)}::text[], ${seen.map((entry) => entry.nextProbeAt.toISOString())}::text[])
      AS v(id, next_probe_at)
    WHERE c.id = v.id AND c.connectivity = 'Online'`;
}
