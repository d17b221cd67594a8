import { ClusterSlotTimeoutError, FleetLocks, type FleetLease } from '@flotilla/jobs';
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
    const lease = (await first.locks.tryLease('deployment:d1', 900)) as FleetLease;
    expect(lease).toBeDefined();
    expect(await second.locks.tryLease('deployment:d1', 900)).toBeUndefined();
    // Refreshed every 300 ms: still held after several lease lengths.
    for (let round = 0; round < 4; round += 1) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await second.locks.tryLease('deployment:d1', 900)).toBeUndefined();
    }
    await lease.release();
    await lease.release();
    const next = await second.locks.tryLease('deployment:d1', 900);
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
});
