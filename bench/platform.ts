import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  createTestDatabase,
  FatalWaitError,
  freePort,
  REPO_ROOT,
  startProcess,
  startRedisServer,
  waitFor,
  type ManagedProcess,
  type TestDatabase,
} from '@flotilla/testkit';
import { findProcess, processGroupMembers } from './proc-stats.ts';

/*
 * The real platform for the bench: the built dashboard and API (`next start`) and the worker
 * over a fresh database and a Redis of its own. Like testkit's startPlatform, except that the
 * worker runs as `node apps/worker/dist/main.mjs` (the bundle scripts/bench.mjs builds, as
 * `npm start` and the image run it) so its pid is the worker itself (for RSS and CPU), it can
 * be profiled (--cpu-prof), there can be several worker processes (`--workers`), and a Redis
 * server of its own keeps the queues apart from any test running on the machine.
 */

export interface BenchPlatform {
  url: string;
  database: TestDatabase;
  redisUrl: string;
  bootstrapToken: string;
  /** Every worker process started so far (the first is the one profiled with --cpu-profile). */
  workerPids: () => number[];
  /** Starts one more worker process on the same database and Redis; answers its pid. */
  addWorker: () => Promise<number>;
  /** Stops the workers started after the first `keep` (SIGTERM, as a scale-down would). */
  stopWorkersBeyond: (keep: number) => Promise<void>;
  /** Each worker's GET /metrics (a port of its own), in the order they started. */
  workerMetricsUrls: () => string[];
  webPids: () => number[];
  redisPids: () => number[];
  workerLog: () => string;
  webLog: () => string;
  api: (
    pathname: string,
    init?: { method?: string; json?: unknown; headers?: Record<string, string> },
  ) => Promise<Response>;
  stop: () => Promise<void>;
}

export interface BenchPlatformOptions {
  webDistDir: string;
  /** Worker tuning (FLOTILLA_WORKER_CONCURRENCY, ...), recorded with the results. */
  workerEnv: Record<string, string>;
  /** Write a V8 CPU profile of the first worker into this folder when it stops. */
  cpuProfileDir?: string;
  /** Worker processes to start with (default 1); `addWorker` starts more later. */
  workers?: number;
}

export async function startBenchPlatform({
  webDistDir,
  workerEnv,
  cpuProfileDir,
  workers: initialWorkers = 1,
}: BenchPlatformOptions): Promise<BenchPlatform> {
  if (!existsSync(path.join(REPO_ROOT, 'apps/web', webDistDir, 'BUILD_ID'))) {
    throw new Error(
      `the dashboard is not built in apps/web/${webDistDir} (scripts/bench.mjs builds it)`,
    );
  }
  const redis = await startRedisServer();
  const database = await createTestDatabase();
  const port = await freePort();
  const gitCache = mkdtempSync(path.join(tmpdir(), 'flotilla-bench-git-cache-'));
  const bootstrapToken = randomBytes(24).toString('hex');
  const environment: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? tmpdir(),
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    DATABASE_URL: database.url,
    REDIS_URL: redis.url,
    PORT: String(port),
    FLOTILLA_SECRET_KEY: randomBytes(32).toString('base64'),
    FLOTILLA_BOOTSTRAP_TOKEN: bootstrapToken,
    FLOTILLA_ADMIN_EMAIL: 'admin@flotilla.bench',
    FLOTILLA_ADMIN_PASSWORD: randomBytes(12).toString('base64url'),
    FLOTILLA_GIT_CACHE_DIR: gitCache,
    FLOTILLA_ALLOW_FILE_GIT_URLS: '1',
    FLOTILLA_LOG_LEVEL: 'info',
    FLOTILLA_LOG_FORMAT: 'json',
    FLOTILLA_WEB_DIST_DIR: webDistDir,
  };
  const url = `http://127.0.0.1:${port}`;
  const logs = { web: [] as string[], worker: [] as string[] };
  const keepTail = (into: string[]) => (chunk: Buffer) => {
    into.push(chunk.toString());
    if (into.length > 400) into.splice(0, into.length - 400);
  };
  const capture = (managed: ManagedProcess, into: string[]) => {
    managed.child.stdout?.on('data', keepTail(into));
    managed.child.stderr?.on('data', keepTail(into));
  };

  const web = startProcess(
    path.join(REPO_ROOT, 'node_modules/.bin/next'),
    ['start', '-p', String(port), '-H', '127.0.0.1'],
    { cwd: path.join(REPO_ROOT, 'apps/web'), env: environment, detached: true },
  );
  capture(web, logs.web);
  const stopGroup = async (managed: ManagedProcess) => {
    if (managed.hasExited()) return;
    // The whole group: `next start` leaves a next-server child holding the port otherwise.
    try {
      process.kill(-managed.child.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
    await managed.stop('SIGTERM');
  };
  const workers: ManagedProcess[] = [];
  const metricsUrls: string[] = [];
  const stop = async () => {
    await Promise.all([stopGroup(web), ...workers.map(stopGroup)]);
    await database.drop();
    await redis.stop();
    rmSync(gitCache, { recursive: true, force: true });
  };

  /*
   * One more worker process: plain `node` on the bundle, so its pid is the worker itself (for
   * RSS and CPU). The workers' logs share one tail (each JSON line carries its pid).
   */
  const addWorker = async (): Promise<number> => {
    const profile =
      cpuProfileDir && workers.length === 0 ? ['--cpu-prof', '--cpu-prof-dir', cpuProfileDir] : [];
    const metricsPort = await freePort();
    const worker = startProcess(
      process.execPath,
      [...profile, path.join(REPO_ROOT, 'apps/worker/dist/main.mjs')],
      {
        cwd: REPO_ROOT,
        env: { ...environment, ...workerEnv, FLOTILLA_WORKER_METRICS_PORT: String(metricsPort) },
        detached: true,
      },
    );
    workers.push(worker);
    metricsUrls.push(`http://127.0.0.1:${metricsPort}/metrics`);
    const output: string[] = [];
    capture(worker, output);
    capture(worker, logs.worker);
    await waitFor(
      `worker ${workers.length}`,
      async () => {
        if (worker.hasExited()) throw new FatalWaitError(`worker exited:\n${output.join('')}`);
        return output.join('').includes('worker ready') ? true : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 200 },
    );
    return worker.child.pid!;
  };

  try {
    await waitFor(
      'the web server',
      async () => {
        if (web.hasExited()) throw new FatalWaitError(`web exited:\n${logs.web.join('')}`);
        const response = await fetch(`${url}/api/v1/health`).catch(() => undefined);
        return response?.ok ? true : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 250 },
    );
    for (let index = 0; index < initialWorkers; index++) await addWorker();
  } catch (error) {
    await stop();
    throw error;
  }

  const redisPid = redisPidFromUrl(redis.url);
  return {
    url,
    database,
    redisUrl: redis.url,
    bootstrapToken,
    workerPids: () => workers.map((worker) => worker.child.pid!),
    addWorker,
    workerMetricsUrls: () => [...metricsUrls],
    stopWorkersBeyond: async (keep) => {
      const extra = workers.splice(keep);
      metricsUrls.splice(keep);
      await Promise.all(extra.map(stopGroup));
    },
    webPids: () => processGroupMembers(web.child.pid!),
    redisPids: () => (redisPid === undefined ? [] : [redisPid]),
    workerLog: () => logs.worker.join(''),
    webLog: () => logs.web.join(''),
    api: (pathname, init = {}) =>
      fetch(`${url}${pathname}`, {
        method: init.method ?? (init.json === undefined ? 'GET' : 'POST'),
        headers: {
          ...init.headers,
          authorization: `Bearer ${bootstrapToken}`,
          ...(init.json === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
      }),
    stop,
  };
}

/** Our redis-server: it renames itself "redis-server 127.0.0.1:<port>". */
function redisPidFromUrl(redisUrl: string): number | undefined {
  const port = new URL(redisUrl).port;
  return findProcess(
    (command) => command.startsWith('redis-server') && command.includes(`:${port}`),
  );
}
