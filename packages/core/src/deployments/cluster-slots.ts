import type { WorkerContext } from '../worker-context.ts';
import { batched, perContext } from './batching.ts';

/**
 * A fair share of this worker's deploy slots per cluster. Slots are global
 * (FLOTILLA_WORKER_CONCURRENCY), so without a bound one cluster with many deployments can hold
 * all of them; when that cluster is blackholed every slot waits out its timeouts while the
 * rest of the fleet waits in the queue. A cluster may hold at most its share: a fixed number
 * (FLOTILLA_CLUSTER_SLOT_SHARE) or max(1, ceil(slots / clusters asking lately)), so a lone
 * cluster still gets every slot and a busy fleet gets one each. A job over the share goes back
 * to the queue (after the others waiting) without spending a retry attempt.
 */

/** How long a cluster counts as asking for slots after its last job was picked up. */
const ACTIVE_WINDOW_MS = 5000;

export interface ClusterSlotsOptions {
  /** Deploy jobs this worker runs at once. */
  concurrency: number;
  /** A fixed share per cluster instead of the computed one. */
  fixedShare?: number;
  now?: () => number;
}

export class ClusterSlots {
  readonly #held = new Map<string, number>();
  readonly #lastAsked = new Map<string, number>();
  readonly #concurrency: number;
  readonly #fixedShare: number | undefined;
  readonly #now: () => number;

  constructor({ concurrency, fixedShare, now = Date.now }: ClusterSlotsOptions) {
    this.#concurrency = Math.max(1, concurrency);
    this.#fixedShare = fixedShare;
    this.#now = now;
  }

  /** Clusters holding a slot, or whose job was picked up within the last few seconds. */
  activeClusters(): number {
    const since = this.#now() - ACTIVE_WINDOW_MS;
    let count = 0;
    for (const [clusterId, at] of this.#lastAsked) {
      if (at >= since || (this.#held.get(clusterId) ?? 0) > 0) count += 1;
      else this.#lastAsked.delete(clusterId);
    }
    return count;
  }

  share(): number {
    if (this.#fixedShare !== undefined) return Math.max(1, this.#fixedShare);
    return Math.max(1, Math.ceil(this.#concurrency / Math.max(1, this.activeClusters())));
  }

  held(clusterId: string): number {
    return this.#held.get(clusterId) ?? 0;
  }

  /** A release function when the cluster is under its share; undefined when it is at it. */
  tryAcquire(clusterId: string): (() => void) | undefined {
    this.#lastAsked.set(clusterId, this.#now());
    const held = this.held(clusterId);
    if (held >= this.share()) return undefined;
    this.#held.set(clusterId, held + 1);
    let isReleased = false;
    return () => {
      if (isReleased) return;
      isReleased = true;
      const left = this.held(clusterId) - 1;
      if (left > 0) this.#held.set(clusterId, left);
      else this.#held.delete(clusterId);
      // Still asking: its other jobs may be waiting in the queue.
      this.#lastAsked.set(clusterId, this.#now());
    };
  }
}

const slotsOf = perContext(
  (ctx: WorkerContext) =>
    new ClusterSlots({
      concurrency: ctx.settings.deployConcurrency ?? 1,
      ...(ctx.settings.clusterSlotShare === undefined
        ? {}
        : { fixedShare: ctx.settings.clusterSlotShare }),
    }),
);

const MAX_REMEMBERED = 200_000;

/** A deployment's cluster never changes: remember it rather than ask Postgres per job. */
const clusterIds = perContext((_ctx: WorkerContext) => new Map<string, string>());
const clusterIdLoader = perContext((ctx: WorkerContext) =>
  batched(async (ids: readonly string[]) => {
    const rows = await ctx.db.bundleDeployment.findMany({
      where: { id: { in: [...new Set(ids)] } },
      select: { id: true, clusterId: true },
    });
    const byId = new Map(rows.map((row) => [row.id, row.clusterId]));
    return ids.map((id) => byId.get(id));
  }),
);

export type DeploySlot =
  { isGranted: true; release: () => void } | { isGranted: false; clusterId: string; share: number };

/**
 * Takes one of the worker's deploy slots for the deployment's cluster, or says the cluster
 * already holds its share. A deployment that no longer exists is granted (the deploy then
 * skips it).
 */
export async function acquireDeploySlot({
  ctx,
  deploymentId,
}: {
  ctx: WorkerContext;
  deploymentId: string;
}): Promise<DeploySlot> {
  const known = clusterIds(ctx);
  let clusterId = known.get(deploymentId);
  if (clusterId === undefined) {
    clusterId = await clusterIdLoader(ctx)(deploymentId);
    if (clusterId === undefined) return { isGranted: true, release: () => undefined };
    // Bounded: forgetting costs one batched read per deployment, nothing else.
    if (known.size >= MAX_REMEMBERED) known.clear();
    known.set(deploymentId, clusterId);
  }
  const slots = slotsOf(ctx);
  const release = slots.tryAcquire(clusterId);
  if (release) return { isGranted: true, release };
  return { isGranted: false, clusterId, share: slots.share() };
}

/** When a job over its cluster's share is looked at again: soon, spread so they do not return together. */
export function putBackDelayMs(random: () => number = Math.random): number {
  return Math.round(500 + random() * 500);
}
