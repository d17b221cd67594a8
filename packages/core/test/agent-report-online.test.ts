import { createLogger } from '@flotilla/config';
import { createRedis, JobQueues } from '@flotilla/jobs';
import {
  createTestDatabase,
  createTestRedis,
  type TestDatabase,
  type TestRedis,
} from '@flotilla/testkit';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportAgentState } from '../src/agents/report-agent-state.ts';

const logger = createLogger({ name: 'test', level: 'silent' });

describe('an agent report from a cluster held Offline', () => {
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

  it('brings the cluster back Online, with an event, before its deployments show what it found', async () => {
    const { db } = database;
    const workspace = await db.workspace.create({ data: { name: 'shops' } });
    const cluster = await db.cluster.create({
      data: {
        workspaceId: workspace.id,
        name: 'shop-7',
        connectionKind: 'agent',
        credentialKind: 'none',
        connectivity: 'Offline',
        connectivityMessage: 'no heartbeat from the agent since 10:00',
      },
    });
    const ctx = { db, redis, logger, now: () => new Date(), queues };

    await reportAgentState({
      ctx,
      agent: {
        kind: 'agent',
        credentialId: 'credential',
        clusterId: cluster.id,
        clusterName: cluster.name,
        workspaceId: workspace.id,
      },
      report: { deployments: [], pruned: [] },
    });

    const now = await db.cluster.findUniqueOrThrow({ where: { id: cluster.id } });
    expect(now.connectivity).toBe('Online');
    expect(now.connectivityMessage).toBe('');
    expect(now.lastHeartbeatAt).not.toBeNull();
    const events = await db.event.findMany({ where: { clusterId: cluster.id } });
    expect(events.map((event) => [event.type, event.message])).toEqual([
      ['ClusterOnline', 'cluster shop-7 is online: its agent reports in'],
    ]);
  });
});
