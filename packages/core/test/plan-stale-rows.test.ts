import { createLogger } from '@flotilla/config';
import type { Db } from '@flotilla/db';
import { createRedis, JobQueues } from '@flotilla/jobs';
import {
  createTestDatabase,
  createTestRedis,
  type TestDatabase,
  type TestRedis,
} from '@flotilla/testkit';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planBundle } from '../src/bundles/plan-bundle.ts';
import type { WorkerContext } from '../src/worker-context.ts';
import { COMMIT, HASH, oneBundleFleet } from './one-bundle-fleet.ts';

const logger = createLogger({ name: 'test', level: 'silent' });

/**
 * The database, except that each read of deployments is followed, before the plan goes on, by
 * `meanwhile`: what a deploy or a monitor pass on another worker writes while the plan decides.
 */
function racingDb(db: Db, meanwhile: () => Promise<void>): Db {
  const passThrough = <T extends object>(target: T) =>
    new Proxy(target, {
      get(object, key) {
        const value: unknown = Reflect.get(object, key, object);
        return typeof value === 'function' ? value.bind(object) : value;
      },
    });
  const deployments = new Proxy(db.bundleDeployment, {
    get(object, key) {
      if (key !== 'findMany') return passThrough(object)[key as keyof typeof object];
      return async (args: Parameters<typeof object.findMany>[0]) => {
        const rows = await object.findMany(args);
        await meanwhile();
        return rows;
      };
    },
  });
  return new Proxy(db, {
    get(object, key) {
      if (key === 'bundleDeployment') return deployments;
      return passThrough(object)[key as keyof typeof object];
    },
  });
}

/*
 * A plan reads a bundle's deployments, decides, and writes. A deploy or a monitor pass may write
 * a row in between: what the plan decided from the older row must not overwrite it (a plan that
 * read a stale OutOfSync would write NotReady 'checking the cluster' over a deploy's Ready, and
 * the deployment would wait for its cluster's next monitor pass).
 */
describe('a plan leaves a row that changed while it planned as it now is', () => {
  let database: TestDatabase;
  let testRedis: TestRedis;
  let redis: Redis;
  let queues: JobQueues;

  beforeAll(async () => {
    [database, testRedis] = await Promise.all([createTestDatabase(), createTestRedis()]);
    redis = createRedis(testRedis.url);
    queues = new JobQueues(redis);
  });

  afterAll(async () => {
    await queues?.close();
    await redis?.quit();
    await testRedis?.cleanup();
    await database?.drop();
  });

  const context = (db: Db) =>
    ({ db, redis, queues, logger, now: () => new Date() }) as unknown as WorkerContext;

  /** A bundle on one Online cluster, applied at HASH, its row in `state`. */
  async function appliedDeployment(name: string, state: 'OutOfSync' | 'Pending') {
    const { db } = database;
    const { workspaceId, clusterId, bundleId } = await oneBundleFleet(db, name);
    const deployment = await db.bundleDeployment.create({
      data: {
        workspaceId,
        bundleId,
        clusterId,
        targetHash: HASH,
        targetCommit: COMMIT,
        desiredHash: HASH,
        desiredCommit: COMMIT,
        appliedHash: HASH,
        appliedCommit: COMMIT,
        state,
        message: 'as the plan read it',
      },
    });
    return { workspaceId, bundleId, id: deployment.id };
  }

  it('keeps the Ready a deploy wrote after the plan read a stale OutOfSync, and records no change', async () => {
    const { db } = database;
    const { workspaceId, bundleId, id } = await appliedDeployment('stale-read', 'OutOfSync');
    let landed = false;
    const ctx = context(
      racingDb(db, async () => {
        if (landed) return;
        landed = true;
        await db.bundleDeployment.update({
          where: { id },
          data: { state: 'Ready', message: 'all 1 objects ready' },
        });
      }),
    );

    const outcome = await planBundle({ ctx, bundleId });

    expect(outcome).toMatchObject({ targeted: 1, deploys: 0, replanned: 1 });
    const row = await db.bundleDeployment.findUniqueOrThrow({ where: { id } });
    expect([row.state, row.message]).toEqual(['Ready', 'all 1 objects ready']);
    const events = await db.event.findMany({ where: { workspaceId, type: 'StateChanged' } });
    expect(events).toEqual([]);

    // Without the race, the same stale row is planned as NotReady until a check says more.
    await db.bundleDeployment.update({ where: { id }, data: { state: 'OutOfSync' } });
    await planBundle({ ctx: context(db), bundleId });
    const planned = await db.bundleDeployment.findUniqueOrThrow({ where: { id } });
    expect(planned.state).toBe('NotReady');
  });

  it('fails the job, to run again, when the rows change under every pass', async () => {
    const { db } = database;
    const { bundleId, id } = await appliedDeployment('always-changing', 'OutOfSync');
    let writes = 0;
    let lastWritten = '';
    const ctx = context(
      racingDb(db, async () => {
        writes += 1;
        const row = await db.bundleDeployment.findUniqueOrThrow({ where: { id } });
        lastWritten = row.state === 'OutOfSync' ? 'Pending' : 'OutOfSync';
        await db.bundleDeployment.update({
          where: { id },
          data: { state: lastWritten as 'Pending' | 'OutOfSync' },
        });
      }),
    );

    await expect(planBundle({ ctx, bundleId })).rejects.toThrow(
      `bundle ${bundleId}: 1 deployment(s) changed while it was planned, 5 times in a row; the plan runs again`,
    );
    expect(writes).toBe(5);
    // What the last writer wrote stands.
    const row = await db.bundleDeployment.findUniqueOrThrow({ where: { id } });
    expect(row.state).toBe(lastWritten);
  });
});
