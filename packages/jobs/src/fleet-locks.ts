import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { Mutex, Semaphore } from 'redis-semaphore';
import { QUEUE_PREFIX } from './queues.ts';

/**
 * Coordination between worker processes, in the Redis the queues already use, through
 * redis-semaphore (a sorted set of leases per semaphore, a SET NX PX key per mutex, each moved
 * by one Lua script). Every hold is a lease with an expiry: a worker that dies holding one frees
 * it when the lease runs out, with nobody cleaning up. Leases are timed by the workers' clocks
 * (redis-semaphore passes Date.now()), so machines must keep their clocks in sync (NTP); a skew
 * of a second against leases of many seconds changes nothing.
 */

/** A hold on something shared with every worker process. */
export interface FleetLease {
  /** Gives it back at once (a lost Redis: it expires instead). Idempotent. */
  release(): Promise<void>;
}

export interface ClusterSlotOptions {
  /** Requests in flight to one cluster from the whole fleet (FLOTILLA_CLUSTER_CONCURRENCY). */
  limit: number;
  /** How long a slot stays held if its worker dies: longer than one request may take. */
  leaseMs: number;
  /** How long to wait for a slot before giving up with ClusterSlotTimeoutError. */
  waitMs: number;
}

/** No slot of a cluster came free in time: the fleet's requests to it are all taking long. */
export class ClusterSlotTimeoutError extends Error {
  constructor(waitMs: number) {
    super(`no request slot for this cluster came free within ${Math.round(waitMs / 1000)} s`);
    this.name = 'ClusterSlotTimeoutError';
  }
}

/** How often a waiting request asks again; spread so waiters in several processes interleave. */
const SLOT_RETRY_MS = 15;

const key = (...parts: string[]) => [QUEUE_PREFIX, ...parts].join(':');

export class FleetLocks {
  constructor(
    private readonly redis: Redis,
    private readonly onLost: (what: string, error: Error) => void = () => undefined,
  ) {}

  /**
   * Waits for one of a cluster's `limit` request slots, shared by all worker processes, and
   * hands back its lease. Each request holds one for as long as it is in flight.
   */
  async acquireClusterSlot(
    clusterId: string,
    { limit, leaseMs, waitMs }: ClusterSlotOptions,
  ): Promise<FleetLease> {
    const semaphore = new Semaphore(this.redis, key('cluster-requests', clusterId), limit, {
      lockTimeout: leaseMs,
      acquireTimeout: waitMs,
      retryInterval: SLOT_RETRY_MS,
      // A request ends within its own timeout, which the lease outlasts: nothing to refresh.
      refreshInterval: 0,
    });
    if (!(await semaphore.tryAcquire())) throw new ClusterSlotTimeoutError(waitMs);
    return leaseOf(semaphore);
  }

  /**
   * Takes `name` if no process holds it, without waiting, and keeps it (refreshed every third
   * of `leaseMs`) until released; undefined when another process holds it. A process that dies
   * holding it frees it after at most `leaseMs`. When the lease could not be refreshed in time
   * (Redis away, or the process stalled), `onLost` hears of it: another process may take it.
   */
  async tryLease(name: string, leaseMs: number): Promise<FleetLease | undefined> {
    const lockKey = key('lease', name);
    // redis-semaphore's own refresh timer turns a Redis error into an unhandled rejection (the
    // process would exit), so the lease is refreshed here, through the library's
    // acquiredExternally mode (a refresh of the lease held under our identifier).
    const options = {
      identifier: randomUUID(),
      lockTimeout: leaseMs,
      acquireAttemptsLimit: 1,
      refreshInterval: 0,
    } as const;
    const mutex = new Mutex(this.redis, lockKey, options);
    if (!(await mutex.tryAcquire())) return undefined;
    let refreshedAt = Date.now();
    let isOver = false;
    const lost = (error: Error) => {
      if (isOver) return;
      isOver = true;
      clearInterval(timer);
      this.onLost(name, error);
    };
    const refresh = async () => {
      try {
        const refresher = new Mutex(this.redis, lockKey, { ...options, acquiredExternally: true });
        if (await refresher.tryAcquire()) refreshedAt = Date.now();
        else lost(new Error('the lease had expired when it was refreshed'));
      } catch (error) {
        // Tried again at the next turn; lost once the lease has run out meanwhile.
        if (Date.now() - refreshedAt >= leaseMs) lost(error as Error);
      }
    };
    const timer = setInterval(() => void refresh(), Math.max(1, Math.floor(leaseMs / 3)));
    timer.unref();
    return {
      async release() {
        if (isOver) return;
        isOver = true;
        clearInterval(timer);
        // A failed release (Redis away) leaves the lease to expire.
        await mutex.release().catch(() => undefined);
      },
    };
  }

  /**
   * True for the one process that claims `name` first within each period of `periodMs`
   * (a claim is never given back: it runs out), false for every other claim in that period.
   */
  async claimPeriod(name: string, periodMs: number): Promise<boolean> {
    const answer = await this.redis.set(key('period', name), '1', 'PX', periodMs, 'NX');
    return answer === 'OK';
  }
}

function leaseOf(lock: Semaphore): FleetLease {
  let isReleased = false;
  return {
    async release() {
      if (isReleased) return;
      isReleased = true;
      // A failed release (Redis away) leaves the lease to expire.
      await lock.release().catch(() => undefined);
    },
  };
}

export interface ReusedClusterSlotOptions extends ClusterSlotOptions {
  /** How long a slot given back stays held, idle, for this process's next request there. */
  lingerMs: number;
  /** A slot is reused only while its lease has at least this long left (a whole request). */
  minRemainingMs: number;
}

interface IdleSlot {
  lease: FleetLease;
  /** When its lease runs out at the earliest (timed from before it was asked for). */
  expiresAt: number;
  timer?: NodeJS.Timeout;
}

/**
 * A cluster's fleet-wide request slots (FleetLocks.acquireClusterSlot) that outlive a request by
 * a few milliseconds. A slot given back is kept, idle, for `lingerMs`; a request of this
 * process to the same cluster in that time takes it without asking Redis. A deploy's requests
 * to one cluster follow each other within a millisecond or two (ownership reads, namespace,
 * objects, prune), so most of them cost no Redis round trip, where each cost two before (the
 * acquire and release scripts took about 7 % of a worker's CPU at 1000 clusters). A slot still
 * covers one request at a time, so the limit holds as before; other processes wait at most
 * `lingerMs` longer for it. Slots whose lease could run out during a request are released
 * instead of kept.
 */
export class ReusedClusterSlots {
  readonly #idle = new Map<string, IdleSlot[]>();
  #isClosed = false;

  constructor(
    private readonly locks: FleetLocks,
    private readonly options: ReusedClusterSlotOptions,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one of the cluster's slots (an idle one of this process first); answers its release. */
  async acquire(clusterId: string): Promise<() => Promise<void>> {
    let slot = this.#takeIdle(clusterId);
    if (!slot) {
      const askedAt = this.now();
      const lease = await this.locks.acquireClusterSlot(clusterId, this.options);
      slot = { lease, expiresAt: askedAt + this.options.leaseMs };
    }
    const held = slot;
    let isGivenBack = false;
    return async () => {
      if (isGivenBack) return;
      isGivenBack = true;
      await this.#giveBack(clusterId, held);
    };
  }

  /** Slots held idle right now (for tests and metrics). */
  idleCount(): number {
    let count = 0;
    for (const slots of this.#idle.values()) count += slots.length;
    return count;
  }

  /** Releases every idle slot at once (shutdown): other processes need not wait them out. */
  async close(): Promise<void> {
    this.#isClosed = true;
    const slots = [...this.#idle.values()].flat();
    this.#idle.clear();
    for (const slot of slots) clearTimeout(slot.timer);
    await Promise.all(slots.map((slot) => slot.lease.release()));
  }

  #takeIdle(clusterId: string): IdleSlot | undefined {
    const slots = this.#idle.get(clusterId);
    const slot = slots?.pop();
    if (slots?.length === 0) this.#idle.delete(clusterId);
    if (slot) clearTimeout(slot.timer);
    return slot;
  }

  async #giveBack(clusterId: string, slot: IdleSlot): Promise<void> {
    const isWorthKeeping =
      !this.#isClosed &&
      this.options.lingerMs > 0 &&
      slot.expiresAt - this.now() >= this.options.minRemainingMs;
    if (!isWorthKeeping) {
      await slot.lease.release();
      return;
    }
    const slots = this.#idle.get(clusterId) ?? [];
    slots.push(slot);
    this.#idle.set(clusterId, slots);
    slot.timer = setTimeout(() => {
      const idle = this.#idle.get(clusterId);
      const index = idle?.indexOf(slot) ?? -1;
      if (index < 0) return;
      idle!.splice(index, 1);
      if (idle!.length === 0) this.#idle.delete(clusterId);
      void slot.lease.release();
    }, this.options.lingerMs);
    slot.timer.unref();
  }
}
