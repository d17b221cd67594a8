import { splitHelmHooks, type KubeObject, type DeployOptions } from '@flotilla/engine';
import type { CoreContext } from '../context.ts';

export interface Revision {
  hash: string;
  /** The objects the deployment keeps in sync: its inventory, what health and drift look at. */
  objects: KubeObject[];
  /** Helm hooks (`helm.sh/hook`): run around an apply of a new revision, never inventory. */
  hooks: KubeObject[];
  deployOptions: DeployOptions;
}

/**
 * Revisions are immutable (content-addressed), so a worker keeps the recent ones in memory:
 * a commit deployed to 1000 clusters reads its revision from Postgres once, not 1000 times.
 */
const MAX_ENTRIES = 500;
const cache = new Map<string, Revision>();
/** Reads in flight: thirty deploy jobs of a new revision starting together read it once. */
const loading = new Map<string, Promise<Revision | undefined>>();

async function readRevisions(
  ctx: Pick<CoreContext, 'db'>,
  workspaceId: string,
  hashes: readonly string[],
): Promise<Map<string, Revision>> {
  const rows = await ctx.db.bundleRevision.findMany({
    where: { workspaceId, hash: { in: [...hashes] } },
  });
  const found = new Map<string, Revision>();
  for (const row of rows) {
    const { objects, hooks } = splitHelmHooks(row.objects as unknown as KubeObject[]);
    const revision: Revision = {
      hash: row.hash,
      objects,
      hooks,
      deployOptions: row.deployOptions as unknown as DeployOptions,
    };
    found.set(row.hash, revision);
    cache.set(`${workspaceId}/${row.hash}`, revision);
    if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  }
  return found;
}

export async function loadRevisions(
  ctx: Pick<CoreContext, 'db'>,
  workspaceId: string,
  hashes: readonly string[],
): Promise<Map<string, Revision>> {
  const found = new Map<string, Revision>();
  const waiting: Promise<void>[] = [];
  const missing: string[] = [];
  for (const hash of new Set(hashes)) {
    const key = `${workspaceId}/${hash}`;
    const cached = cache.get(key);
    const inFlight = loading.get(key);
    if (cached) found.set(hash, cached);
    else if (inFlight)
      waiting.push(inFlight.then((revision) => void (revision && found.set(hash, revision))));
    else missing.push(hash);
  }
  if (missing.length > 0) {
    const read = readRevisions(ctx, workspaceId, missing);
    for (const hash of missing) {
      const key = `${workspaceId}/${hash}`;
      const one = read.then((revisions) => revisions.get(hash));
      loading.set(key, one);
      // Settled either way: a failed read is not remembered, the next call reads again.
      void one.then(
        () => loading.delete(key),
        () => loading.delete(key),
      );
    }
    for (const [hash, revision] of await read) found.set(hash, revision);
  }
  await Promise.all(waiting);
  return found;
}
