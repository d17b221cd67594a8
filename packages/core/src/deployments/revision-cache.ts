import type { KubeObject, DeployOptions } from '@flotilla/engine';
import type { CoreContext } from '../context.ts';

export interface Revision {
  hash: string;
  objects: KubeObject[];
  deployOptions: DeployOptions;
}

/**
 * Revisions are immutable (content-addressed), so a worker keeps the recent ones in memory:
 * a commit deployed to 1000 clusters reads its revision from Postgres once, not 1000 times.
 */
const MAX_ENTRIES = 500;
const cache = new Map<string, Revision>();

export async function loadRevisions(
  ctx: Pick<CoreContext, 'db'>,
  workspaceId: string,
  hashes: readonly string[],
): Promise<Map<string, Revision>> {
  const found = new Map<string, Revision>();
  const missing: string[] = [];
  for (const hash of new Set(hashes)) {
    const cached = cache.get(`${workspaceId}/${hash}`);
    if (cached) found.set(hash, cached);
    else missing.push(hash);
  }
  if (missing.length > 0) {
    const rows = await ctx.db.bundleRevision.findMany({ where: { workspaceId, hash: { in: missing } } });
    for (const row of rows) {
      const revision: Revision = {
        hash: row.hash,
        objects: row.objects as unknown as KubeObject[],
        deployOptions: row.deployOptions as unknown as DeployOptions,
      };
      found.set(row.hash, revision);
      cache.set(`${workspaceId}/${row.hash}`, revision);
      if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
    }
  }
  return found;
}
