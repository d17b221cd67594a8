import {
  ClusterSlotTimeoutError,
  FleetLocks,
  ReusedClusterSlots,
  type FleetLease,
} from '@flotilla/jobs';
import { createTestRedis, type TestRedis } from '@flotilla/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

/** FleetLocks (Redis-backed semaphores and leases) as three worker processes would use them. */
describe('FleetLocks on a real Redis', () => {
  let redis: TestRedis;
  const connections: Redis[] = [];
  /** One FleetLocks per "process", each on a connection of its own. */
  const processLocks = (onLost?: (what: string, error: Error) => void) => {
    const connection = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    connections.push(connection);
    return { locks: new FleetLocks(connection, onLost), connection };
  };

  beforeAll(async () => {
    redis = await createTestRedis();
  });
  afterAll(async () => {
    await Promise.all(connections.map((connection) => connection.quit().catch(() => undefined)));
    await redis?.cleanup();
  });

  it('holds a cluster to its limit across processes, and lets the waiting in as slots free', async () => {
    const processes = [processLocks(), processLocks(), processLocks()];
    const options = { limit: 2, leaseMs: 30_000, waitMs: 60_000 };
    let held = 0;
    let maxHeld = 0;
    const request = async (locks: FleetLocks) => {
      const lease = await locks.acquireClusterSlot('cluster-a', options);
      held += 1;
      maxHeld = Math.max(maxHeld, held);
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setTimeout(resolve, 5));
      held -= 1;
      await lease.release();
    };
    await Promise.all(
      processes.flatMap(({ locks }) => Array.from({ length: 10 }, () => request(locks))),
    );
    expect(maxHeld).toBe(2);
    // Another cluster has slots of its own.
    const other = await processes[0]!.locks.acquireClusterSlot('cluster-b', options);
    await other.release();
  });

  it('frees the slots of a process that died holding them when their lease runs out', async () => {
    const dead = processLocks();
    const alive = processLocks();
    await dead.locks.acquireClusterSlot('cluster-c', { limit: 1, leaseMs: 1500, waitMs: 1000 });
    dead.connection.disconnect();
    await expect(
      alive.locks.acquireClusterSlot('cluster-c', { limit: 1, leaseMs: 1500, waitMs: 50 }),
    ).rejects.toBeInstanceOf(ClusterSlotTimeoutError);
    const lease = await alive.locks.acquireClusterSlot('cluster-c', {
      limit: 1,
      leaseMs: 1500,
      waitMs: 30_000,
    });
    await lease.release();
  });

  it('gives a lease to one process at a time, keeps it while its holder lives, frees it after a crash', async () => {
    const lost: string[] = [];
    const first = processLocks((what) => lost.push(what));
    const second = processLocks();
    // A 2 s lease, refreshed every 667 ms: a loaded machine (the whole suite at once) may hold
    // the holder's event loop for over half a second without the lease lapsing.
    const lease = (await first.locks.tryLease('deployment:d1', 2000)) as FleetLease;
    expect(lease).toBeDefined();
    expect(await second.locks.tryLease('deployment:d1', 2000)).toBeUndefined();
    // Still held after three lease lengths.
    for (let round = 0; round < 4; round += 1) {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(await second.locks.tryLease('deployment:d1', 2000)).toBeUndefined();
    }
    await lease.release();
    await lease.release();
    const next = await second.locks.tryLease('deployment:d1', 2000);
    expect(next).toBeDefined();
    await next!.release();

    // The holder's connection dies: its refreshes fail and the lease lapses for the others.
    const crashed = await first.locks.tryLease('deployment:d2', 900);
    expect(crashed).toBeDefined();
    first.connection.disconnect();
    const taken = await vi.waitFor(
      async () => {
        const lease = await second.locks.tryLease('deployment:d2', 900);
        if (!lease) throw new Error('deployment:d2 is still held');
        return lease;
      },
      { timeout: 20_000, interval: 100 },
    );
    await taken.release();
    expect(lost).toContain('deployment:d2');
  });

  it('claims a period once for the whole fleet', async () => {
    const processes = [processLocks(), processLocks(), processLocks()];
    const claims = await Promise.all(
      processes.map(({ locks }) => locks.claimPeriod('replan', 60_000)),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
  });

  describe('ReusedClusterSlots: a slot given back lingers for the same process', () => {
    const slotOptions = {
      limit: 1,
      leaseMs: 30_000,
      waitMs: 60_000,
      lingerMs: 300,
      minRemainingMs: 10_000,
    };

    it('serves one process its back-to-back requests with one Redis slot, and others after the linger', async () => {
      const first = processLocks();
      const second = processLocks();
      const slots = new ReusedClusterSlots(first.locks, slotOptions);
      const asked = vi.spyOn(first.locks, 'acquireClusterSlot');
      for (let request = 0; request < 5; request += 1) {
        const release = await slots.acquire('cluster-r1');
        await release();
        await release();
      }
      expect(asked).toHaveBeenCalledTimes(1);
      expect(slots.idleCount()).toBe(1);
      // Held, idle, by the first process: a second process with a limit of 1 waits for it ...
      await expect(
        second.locks.acquireClusterSlot('cluster-r1', { limit: 1, leaseMs: 30_000, waitMs: 50 }),
      ).rejects.toBeInstanceOf(ClusterSlotTimeoutError);
      // ... and gets it once the linger is over.
      const lease = await second.locks.acquireClusterSlot('cluster-r1', {
        limit: 1,
        leaseMs: 30_000,
        waitMs: 5000,
      });
      expect(slots.idleCount()).toBe(0);
      await lease.release();
    });

    it('keeps the limit across processes that reuse their slots', async () => {
      const processes = [processLocks(), processLocks(), processLocks()].map(
        ({ locks }) => new ReusedClusterSlots(locks, { ...slotOptions, lingerMs: 5 }),
      );
      let held = 0;
      let maxHeld = 0;
      let served = 0;
      const request = async (slots: ReusedClusterSlots) => {
        const release = await slots.acquire('cluster-r2');
        held += 1;
        maxHeld = Math.max(maxHeld, held);
        await new Promise((resolve) => setTimeout(resolve, 3));
        held -= 1;
        served += 1;
        await release();
      };
      // Each process sends its requests one after another, as a deploy does.
      await Promise.all(
        processes.map(async (slots) => {
          for (let index = 0; index < 8; index += 1) await request(slots);
        }),
      );
      expect(served).toBe(24);
      expect(maxHeld).toBe(1);
      await Promise.all(processes.map((slots) => slots.close()));
    });

    it('releases a slot whose lease could run out during a request, and every idle slot on close', async () => {
      const first = processLocks();
      const second = processLocks();
      const shortLeases = new ReusedClusterSlots(first.locks, {
        ...slotOptions,
        leaseMs: 5000,
        minRemainingMs: 10_000,
      });
      const asked = vi.spyOn(first.locks, 'acquireClusterSlot');
      for (let request = 0; request < 3; request += 1)
        await (
          await shortLeases.acquire('cluster-r3')
        )();
      expect(asked).toHaveBeenCalledTimes(3);
      expect(shortLeases.idleCount()).toBe(0);

      const lingering = new ReusedClusterSlots(first.locks, { ...slotOptions, lingerMs: 60_000 });
      await (
        await lingering.acquire('cluster-r3')
      )();
      expect(lingering.idleCount()).toBe(1);
      await lingering.close();
      // Closed: the second process need not wait out the minute-long linger.
      const lease = await second.locks.acquireClusterSlot('cluster-r3', {
        limit: 1,
        leaseMs: 30_000,
        waitMs: 50,
      });
      await lease.release();
      // A closed pool keeps nothing idle.
      await (
        await lingering.acquire('cluster-r3')
      )();
      expect(lingering.idleCount()).toBe(0);
    });
  });
});
