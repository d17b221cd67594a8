import type { Db } from '@flotilla/db';

/**
 * Wakes the agents' long-polls when their cluster's deployments change, with one query per
 * interval for every agent waiting on this web process, rather than one per waiting agent.
 *
 * A cluster's fingerprint is the number of its deployments and the sum of their `updatedAt`:
 * every write to a deployment (Prisma's and the bulk raw updates alike) sets `updatedAt`, so any
 * change, insert or delete changes it. A waiter takes the fingerprint before it reads the state
 * it compares its ETag with, so a change between the two wakes it rather than being missed.
 */
export class DesiredStateWatcher {
  private readonly waiters = new Map<string, Set<Waiter>>();
  private timer: NodeJS.Timeout | undefined;
  private isTicking = false;

  constructor(
    private readonly db: Db,
    private readonly intervalMs = 1000,
  ) {}

  /** The cluster's fingerprint now. */
  async fingerprintOf(clusterId: string): Promise<string> {
    return (await this.fingerprints([clusterId])).get(clusterId) ?? EMPTY;
  }

  /**
   * Resolves true once the cluster's fingerprint differs from `since`, false at `deadline`
   * (epoch ms) or when `signal` aborts.
   */
  waitForChange(
    clusterId: string,
    since: string,
    deadline: number,
    signal?: AbortSignal,
  ): Promise<boolean> {
    return new Promise((resolve) => {
      let waiters = this.waiters.get(clusterId);
      if (!waiters) this.waiters.set(clusterId, (waiters = new Set()));
      const waiter: Waiter = {
        since,
        settle: (changed) => {
          clearTimeout(timeout);
          signal?.removeEventListener('abort', onAbort);
          const set = this.waiters.get(clusterId);
          set?.delete(waiter);
          if (set?.size === 0) this.waiters.delete(clusterId);
          resolve(changed);
        },
      };
      const onAbort = () => waiter.settle(false);
      const timeout = setTimeout(() => waiter.settle(false), Math.max(0, deadline - Date.now()));
      waiters.add(waiter);
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      if (!this.timer) {
        this.timer = setInterval(() => void this.tick(), this.intervalMs);
        this.timer.unref();
      }
    });
  }

  private async tick(): Promise<void> {
    if (this.waiters.size === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
      return;
    }
    if (this.isTicking) return;
    this.isTicking = true;
    try {
      const now = await this.fingerprints([...this.waiters.keys()]);
      for (const [clusterId, waiters] of [...this.waiters]) {
        const fingerprint = now.get(clusterId) ?? EMPTY;
        for (const waiter of [...waiters]) if (waiter.since !== fingerprint) waiter.settle(true);
      }
    } catch {
      // The database did not answer: every waiter reads again, and reports the error if it lasts.
      for (const waiters of [...this.waiters.values()])
        for (const waiter of [...waiters]) waiter.settle(true);
    } finally {
      this.isTicking = false;
    }
  }

  private async fingerprints(clusterIds: string[]): Promise<Map<string, string>> {
    const rows = await this.db.$queryRaw<{ clusterId: string; fingerprint: string }[]>`
      SELECT "clusterId",
        count(*)::text || ':' || round(sum(extract(epoch FROM "updatedAt") * 1000))::text AS fingerprint
      FROM "BundleDeployment" WHERE "clusterId" = ANY(${clusterIds})
      GROUP BY "clusterId"`;
    return new Map(rows.map((row) => [row.clusterId, row.fingerprint]));
  }
}

interface Waiter {
  since: string;
  settle: (changed: boolean) => void;
}

/** A cluster with no deployments. */
const EMPTY = '0:0';

const watchers = new WeakMap<Db, DesiredStateWatcher>();

/** The one watcher of this process's database client. */
export function desiredStateWatcherOf(db: Db): DesiredStateWatcher {
  let watcher = watchers.get(db);
  if (!watcher) watchers.set(db, (watcher = new DesiredStateWatcher(db)));
  return watcher;
}
