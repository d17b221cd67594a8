import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FatalWaitError, freePort, waitFor } from './ports.ts';
import { createTestDatabase, type TestDatabase } from './postgres.ts';
import { startProcess, type ManagedProcess } from './processes.ts';
import { createTestRedis, type TestRedis } from './redis.ts';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface Platform {
  url: string;
  database: TestDatabase;
  redisUrl: string;
  bootstrapToken: string;
  adminEmail: string;
  adminPassword: string;
  secretKey: string;
  /** Everything the web and the worker printed so far (for assertions on logs). */
  webLog: () => string;
  /** One worker's output (by index), or all of them together. */
  workerLog: (index?: number) => string;
  /** fetch against the API with the bootstrap token (admin of the default workspace). */
  api: (
    pathname: string,
    init?: RequestInit & { json?: unknown; token?: string | null },
  ) => Promise<Response>;
  /** Starts worker `index` (default 0; see PlatformOptions.workers). */
  startWorker: (index?: number) => Promise<void>;
  stopWorker: (signal?: NodeJS.Signals, index?: number) => Promise<void>;
  restartWeb: () => Promise<void>;
  stop: () => Promise<void>;
}

export interface PlatformOptions {
  /** Extra environment for both processes (worker intervals, FLOTILLA_DEMO, ...). */
  env?: Record<string, string>;
  /** A Redis of the test's own (e.g. from startRedisServer) instead of a shared database index. */
  redisUrl?: string;
  isWorkerStarted?: boolean;
  /** Worker processes started side by side on the same database and Redis (default 1). */
  workers?: number;
  /** Wait for a healthy answer (200) from /api/v1/health; false waits for any answer. */
  isHealthRequired?: boolean;
}

/**
 * The real platform for tests: the built dashboard (`next start`) and the worker, each in its
 * own process group, over a fresh database and Redis. Needs `npm run build` first (npm test
 * builds before it runs the tests); says so when the build is missing.
 */
export async function startPlatform({
  env = {},
  redisUrl,
  isWorkerStarted = true,
  workers = 1,
  isHealthRequired = true,
}: PlatformOptions = {}): Promise<Platform> {
  const distDir = process.env.FLOTILLA_WEB_DIST_DIR || '.next';
  if (!existsSync(path.join(REPO_ROOT, 'apps/web', distDir, 'BUILD_ID'))) {
    throw new Error(
      'the dashboard is not built: run `npm run build` (npm test does it) before these tests',
    );
  }
  const database = await createTestDatabase();
  let redis: TestRedis | undefined;
  if (!redisUrl) redis = await createTestRedis();
  const port = await freePort();
  const gitCache = mkdtempSync(path.join(tmpdir(), 'flotilla-git-cache-'));
  const bootstrapToken = randomBytes(24).toString('hex');
  const adminEmail = 'admin@flotilla.test';
  const adminPassword = randomBytes(12).toString('base64url');
  const secretKey = randomBytes(32).toString('base64');
  const environment: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? tmpdir(),
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    DATABASE_URL: database.url,
    REDIS_URL: redisUrl ?? redis!.url,
    PORT: String(port),
    FLOTILLA_SECRET_KEY: secretKey,
    FLOTILLA_BOOTSTRAP_TOKEN: bootstrapToken,
    FLOTILLA_ADMIN_EMAIL: adminEmail,
    FLOTILLA_ADMIN_PASSWORD: adminPassword,
    FLOTILLA_GIT_CACHE_DIR: gitCache,
    FLOTILLA_CHART_CACHE_DIR: `${gitCache}-charts`,
    FLOTILLA_ALLOW_FILE_GIT_URLS: '1',
    FLOTILLA_LOG_LEVEL: 'info',
    FLOTILLA_WEB_DIST_DIR: distDir,
    ...env,
  };
  const logs = { web: [] as string[], workers: [] as string[][] };
  let web: ManagedProcess | undefined;
  const workerProcesses: (ManagedProcess | undefined)[] = [];
  const capture = (process: ManagedProcess, into: string[]) => {
    process.child.stdout?.on('data', (chunk: Buffer) => into.push(chunk.toString()));
    process.child.stderr?.on('data', (chunk: Buffer) => into.push(chunk.toString()));
  };
  const url = `http://127.0.0.1:${port}`;

  const startWeb = async () => {
    web = startProcess(
      path.join(REPO_ROOT, 'node_modules/.bin/next'),
      ['start', '-p', String(port), '-H', '127.0.0.1'],
      {
        cwd: path.join(REPO_ROOT, 'apps/web'),
        env: environment as NodeJS.ProcessEnv,
        detached: true,
      },
    );
    capture(web, logs.web);
    await waitFor(
      'the web server',
      async () => {
        if (web?.hasExited()) throw new FatalWaitError(`web exited:\n${logs.web.join('')}`);
        const response = await fetch(`${url}/api/v1/health`).catch(() => undefined);
        if (!response) return undefined;
        return response.ok || !isHealthRequired ? true : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );
  };
  const startWorker = async (index = 0) => {
    // A restarted worker keeps appending to its log; it is ready when it says so once more.
    const log = (logs.workers[index] ??= []);
    const readyCount = () => log.join('').split('worker ready').length;
    const readyBefore = readyCount();
    const worker = startProcess(
      // Not the tsx CLI: it SIGKILLs its child when a relayed signal is not confirmed within
      // 30 ms, which a loaded machine misses; the worker must get SIGTERM itself.
      // The bundle (apps/worker/build.mjs), built by the global setup: what users run.
      process.execPath,
      [path.join(REPO_ROOT, 'apps/worker/dist/main.mjs')],
      {
        cwd: REPO_ROOT,
        env: {
          ...environment,
          // Each machine has a Git cache of its own: worker processes never share one.
          ...(index > 0
            ? {
                FLOTILLA_GIT_CACHE_DIR: `${gitCache}-worker-${index}`,
                FLOTILLA_CHART_CACHE_DIR: `${gitCache}-worker-${index}-charts`,
              }
            : {}),
        } as NodeJS.ProcessEnv,
        detached: true,
      },
    );
    workerProcesses[index] = worker;
    capture(worker, log);
    await waitFor(
      `worker ${index}`,
      async () => {
        if (worker.hasExited()) throw new FatalWaitError(`worker exited:\n${log.join('')}`);
        return readyCount() > readyBefore ? true : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 100 },
    );
  };
  const stopGroup = async (
    process: ManagedProcess | undefined,
    signal: NodeJS.Signals = 'SIGTERM',
  ) => {
    if (!process || process.hasExited()) return;
    // Stop the whole group: next start leaves a next-server child holding the port otherwise.
    try {
      globalThis.process.kill(-process.child.pid!, signal);
    } catch {
      // already gone
    }
    await process.stop(signal);
  };

  await startWeb();
  if (isWorkerStarted) {
    await Promise.all(Array.from({ length: workers }, (_, index) => startWorker(index)));
  }

  return {
    url,
    database,
    redisUrl: redisUrl ?? redis!.url,
    bootstrapToken,
    adminEmail,
    adminPassword,
    secretKey,
    webLog: () => logs.web.join(''),
    workerLog: (index) =>
      index === undefined
        ? logs.workers.map((log) => log.join('')).join('')
        : (logs.workers[index] ?? []).join(''),
    api: (pathname, init = {}) => {
      const { json, token, headers, ...rest } = init;
      const merged = new Headers(headers);
      if (token !== null) merged.set('authorization', `Bearer ${token ?? bootstrapToken}`);
      if (json !== undefined) merged.set('content-type', 'application/json');
      return fetch(`${url}${pathname}`, {
        ...rest,
        headers: merged,
        ...(json !== undefined
          ? { body: JSON.stringify(json), method: rest.method ?? 'POST' }
          : {}),
      });
    },
    startWorker,
    stopWorker: (signal = 'SIGTERM', index = 0) => stopGroup(workerProcesses[index], signal),
    restartWeb: async () => {
      await stopGroup(web);
      await startWeb();
    },
    stop: async () => {
      await Promise.all([stopGroup(web), ...workerProcesses.map((worker) => stopGroup(worker))]);
      await database.drop();
      await redis?.cleanup();
      rmSync(gitCache, { recursive: true, force: true });
      rmSync(`${gitCache}-charts`, { recursive: true, force: true });
      for (let index = 1; index < workerProcesses.length; index += 1) {
        rmSync(`${gitCache}-worker-${index}`, { recursive: true, force: true });
        rmSync(`${gitCache}-worker-${index}-charts`, { recursive: true, force: true });
      }
    },
  };
}
