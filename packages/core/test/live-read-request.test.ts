import { createRedis, JobQueues, liveReadJob, QUEUE_PREFIX } from '@flotilla/jobs';
import { createTestRedis, type TestRedis } from '@flotilla/testkit';
import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { askWorker } from '../src/deployments/get-deployment-live.ts';

const PAYLOAD = {
  deploymentId: 'dep1',
  workspaceId: 'ws1',
  request: { what: 'objects' },
} as const;

/**
 * The web's side of a live read over real Redis and BullMQ: the worker's answer comes back
 * parsed, and a failure, an answer of the wrong shape or no answer at all become words.
 */
describe('asking the worker for a live read', () => {
  let testRedis: TestRedis;
  let redis: Redis;
  let queues: JobQueues;
  let worker: Worker | undefined;

  const startWorker = (handle: () => Promise<unknown>) => {
    worker = new Worker(liveReadJob.name, handle, {
      connection: createRedis(testRedis.url, { isBlocking: true }),
      prefix: QUEUE_PREFIX,
    });
  };

  beforeAll(async () => {
    testRedis = await createTestRedis();
    redis = createRedis(testRedis.url);
    queues = new JobQueues(redis);
  });

  afterEach(async () => {
    await worker?.close();
    worker = undefined;
  });

  afterAll(async () => {
    await queues.queue(liveReadJob.name).close();
    await redis.quit();
    await testRedis.cleanup();
  });

  it("returns the worker's answer, parsed", async () => {
    startWorker(async () => ({
      kind: 'events',
      events: [
        { type: 'Warning', reason: 'BackOff', message: 'm', count: 2, lastSeen: null, source: '' },
      ],
    }));
    await expect(askWorker({ queues }, PAYLOAD)).resolves.toMatchObject({
      kind: 'events',
      events: [{ reason: 'BackOff', count: 2 }],
    });
  });

  it('says why when the read failed or answered in an unknown shape', async () => {
    startWorker(async () => {
      throw new Error('the cluster client broke');
    });
    await expect(askWorker({ queues }, PAYLOAD)).resolves.toEqual({
      kind: 'unavailable',
      reason: 'failed',
      message: 'the live read failed: the cluster client broke',
    });
    await worker?.close();
    startWorker(async () => ({ kind: 'objects', objects: 'not a list' }));
    await expect(askWorker({ queues }, PAYLOAD)).resolves.toEqual({
      kind: 'unavailable',
      reason: 'failed',
      message: 'the live read answered in an unknown shape',
    });
  });

  it('gives up after the timeout and drops the read nobody waits for', async () => {
    await expect(queues.requestLiveRead(PAYLOAD, { timeoutMs: 400 })).resolves.toEqual({
      outcome: 'timeout',
    });
    await expect(queues.queue(liveReadJob.name).getWaitingCount()).resolves.toBe(0);
  });
});
