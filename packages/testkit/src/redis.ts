import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { FatalWaitError, freePort, waitFor } from './ports.ts';
import { startProcess } from './processes.ts';
import { TEST_REDIS_URL } from './services.ts';

export interface TestRedis {
  /** A redis:// URL with a database index of its own. */
  url: string;
  cleanup: () => Promise<void>;
}

/**
 * An isolated Redis database (index 1-15, round robin through a counter in database 0),
 * flushed before and after. Enough isolation for two test files at a time.
 */
export async function createTestRedis(): Promise<TestRedis> {
  const admin = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(
      `Redis is not answering at ${TEST_REDIS_URL} (${(error as Error).message}); start it (see README)`,
      { cause: error },
    );
  }
  const counter = await admin.incr('flotilla-test:database-counter');
  await admin.quit();
  const index = (counter % 15) + 1;
  const url = `${TEST_REDIS_URL.replace(/\/\d*$/, '')}/${index}`;
  const flush = async () => {
    const client = new Redis(url, { maxRetriesPerRequest: 1 });
    await client.flushdb();
    await client.quit();
  };
  await flush();
  return { url, cleanup: flush };
}

export interface OwnRedisServer {
  url: string;
  stop: () => Promise<void>;
}

/** A redis-server of the test's own, for tests that FLUSHALL or stop Redis. */
export async function startRedisServer(): Promise<OwnRedisServer> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'flotilla-redis-'));
  const server = startProcess('redis-server', [
    '--bind',
    '127.0.0.1',
    '--port',
    String(port),
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    dir,
  ]);
  const url = `redis://127.0.0.1:${port}/0`;
  await waitFor('redis-server', async () => {
    if (server.hasExited()) throw new FatalWaitError(`redis-server exited:\n${server.output()}`);
    const client = new Redis(url, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    // Not listening yet is the expected answer here; connect() rejects with it already.
    client.on('error', () => undefined);
    try {
      await client.connect();
      return (await client.ping()) === 'PONG' ? true : undefined;
    } finally {
      client.disconnect();
    }
  });
  return {
    url,
    stop: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
