import { createLogger, loadWorkerConfig } from '@flotilla/config';
import { createMetricsRegistry, SecretBox, type WorkerContext } from '@flotilla/core';
import { createDb } from '@flotilla/db';
import { createGitCache } from '@flotilla/git';
import {
  correlationLogFields,
  createRedis,
  FleetLocks,
  JobQueues,
  ReusedClusterSlots,
} from '@flotilla/jobs';
import { ClusterClientPool } from '@flotilla/kube';
import { configureAddressPolicy } from '@flotilla/net';
import { startMetricsServer } from './metrics-server.ts';
import { fetchMissingCommits } from './fetch-missing-commits.ts';
import { countGitFetchErrors, registerWorkerMetrics } from './metrics.ts';
import { startWorkers, WORKER_NAME } from './run-workers.ts';
import { startDemo } from './demo.ts';
import { verifyServices } from './verify-services.ts';
import { createClock } from './clock.ts';

const config = loadWorkerConfig();
// Before any client or git cache exists: every outbound connection follows the configured networks.
configureAddressPolicy({
  denied: config.FLOTILLA_DENIED_NETWORKS,
  allowed: config.FLOTILLA_ALLOWED_NETWORKS,
});
const logger = createLogger({
  name: 'worker',
  level: config.FLOTILLA_LOG_LEVEL,
  format: config.FLOTILLA_LOG_FORMAT,
  mixin: correlationLogFields,
});

await verifyServices({ databaseUrl: config.DATABASE_URL, redisUrl: config.REDIS_URL });

const redis = createRedis(config.REDIS_URL);
redis.on('error', (error) => logger.warn({ err: error.message }, 'redis connection problem'));
const requestTimeoutMs = config.FLOTILLA_CLUSTER_REQUEST_TIMEOUT_SECONDS * 1000;
const clusterLocks = new FleetLocks(redis);
/**
 * FLOTILLA_CLUSTER_CONCURRENCY for the whole fleet: each request also holds one of the
 * cluster's slots in Redis. The lease outlives any request (timeout + 10 s), so the slots of a
 * worker that died mid-request free themselves. A slot given back lingers 25 ms for this
 * process's next request to the cluster (a deploy's requests follow each other closely), so
 * most requests take no Redis round trip of their own.
 */
const clusterSlots = new ReusedClusterSlots(clusterLocks, {
  limit: config.FLOTILLA_CLUSTER_CONCURRENCY,
  leaseMs: requestTimeoutMs + 10_000,
  waitMs: 4 * requestTimeoutMs,
  lingerMs: 25,
  minRemainingMs: requestTimeoutMs + 1000,
});
const acquireFleetSlot = (clusterId: string) => clusterSlots.acquire(clusterId);
const ctx: WorkerContext = {
  db: createDb({ databaseUrl: config.DATABASE_URL, poolSize: 20 }),
  redis,
  queues: new JobQueues(redis),
  secrets: new SecretBox(config.FLOTILLA_SECRET_KEY),
  logger,
  now: createClock(config.FLOTILLA_CLOCK_OFFSET_FILE),
  allowFileGitUrls: config.FLOTILLA_ALLOW_FILE_GIT_URLS,
  allowInsecureGitUrls: config.FLOTILLA_ALLOW_INSECURE_GIT,
  historyPerDeployment: config.FLOTILLA_HISTORY_PER_DEPLOYMENT,
  clusters: new ClusterClientPool({
    concurrency: config.FLOTILLA_CLUSTER_CONCURRENCY,
    timeoutMs: requestTimeoutMs,
    ...(config.FLOTILLA_CLUSTER_LIMIT_SCOPE === 'fleet'
      ? { acquireSharedSlot: acquireFleetSlot }
      : {}),
    breaker: {
      failureThreshold: config.FLOTILLA_BREAKER_FAILURES,
      baseDelayMs: config.FLOTILLA_BREAKER_RETRY_SECONDS * 1000,
      // Never longer than the probes' own backoff: a cluster back up shows Online at the next probe.
      maxDelayMs:
        Math.min(
          config.FLOTILLA_BREAKER_RETRY_CAP_SECONDS,
          config.FLOTILLA_PROBE_BACKOFF_CAP_SECONDS,
        ) * 1000,
    },
  }),
  git: fetchMissingCommits(
    countGitFetchErrors(
      createGitCache({
        dir: config.FLOTILLA_GIT_CACHE_DIR,
        allowFileUrls: config.FLOTILLA_ALLOW_FILE_GIT_URLS,
        allowInsecureHttp: config.FLOTILLA_ALLOW_INSECURE_GIT,
        logger,
        env: config.gitEnvironment,
      }),
    ),
    () => ctx,
  ),
  settings: {
    probeIntervalMs: config.FLOTILLA_PROBE_INTERVAL_SECONDS * 1000,
    probeBackoffCapMs: config.FLOTILLA_PROBE_BACKOFF_CAP_SECONDS * 1000,
    offlineAfterFailures: 3,
    deployConcurrency: config.FLOTILLA_WORKER_CONCURRENCY,
    ...(config.FLOTILLA_CLUSTER_SLOT_SHARE === undefined
      ? {}
      : { clusterSlotShare: config.FLOTILLA_CLUSTER_SLOT_SHARE }),
    monitorIntervalMs: config.FLOTILLA_MONITOR_INTERVAL_SECONDS * 1000,
    requeueAfterMs: config.FLOTILLA_REQUEUE_AFTER_SECONDS * 1000,
    maxBundleBytes: config.FLOTILLA_MAX_BUNDLE_BYTES,
    chartCacheDir: config.FLOTILLA_CHART_CACHE_DIR,
    chartCacheLimits: {
      maxBytes: config.FLOTILLA_CHART_CACHE_MAX_BYTES,
      maxFiles: config.FLOTILLA_CHART_CACHE_MAX_FILES,
    },
    allowFileGitUrls: config.FLOTILLA_ALLOW_FILE_GIT_URLS,
    maxBundleRemovalShare: config.FLOTILLA_MAX_BUNDLE_REMOVAL_SHARE,
    ...(config.FLOTILLA_PUBLIC_URL ? { publicUrl: config.FLOTILLA_PUBLIC_URL } : {}),
    githubStatusRecheckMs: config.FLOTILLA_GITHUB_STATUS_RECHECK_SECONDS * 1000,
  },
};

const workers = await startWorkers({
  ctx,
  redisUrl: config.REDIS_URL,
  deployConcurrency: config.FLOTILLA_WORKER_CONCURRENCY,
  jobLockMs: config.FLOTILLA_JOB_LOCK_SECONDS * 1000,
});
await ctx.queues.scheduleTicks({
  scheduleEveryMs: config.FLOTILLA_TICK_SECONDS * 1000,
  sweepEveryMs: config.FLOTILLA_SWEEP_INTERVAL_SECONDS * 1000,
});
const metricsRegistry = createMetricsRegistry({ ctx });
registerWorkerMetrics(metricsRegistry);
const metricsServer = await startMetricsServer({
  registry: metricsRegistry,
  host: config.FLOTILLA_WORKER_METRICS_HOST,
  port: config.FLOTILLA_WORKER_METRICS_PORT,
  token: config.FLOTILLA_METRICS_TOKEN,
  logger,
});
logger.info({ queues: workers.length, worker: WORKER_NAME }, 'worker ready');
if (config.FLOTILLA_DEMO) await startDemo({ ctx, config });

let isShuttingDown = false;
async function shutdown(signal: string): Promise<void> {
  if (isShuttingDown) return;
  isShuttingDown = true;
  logger.info({ signal }, 'shutting down: no new jobs; finishing the active ones');
  // close() stops fetching and waits for active jobs. If they outlive the grace period, the
  // force close releases them: their locks lapse and another worker (or this one, restarted)
  // picks them up as stalled jobs, and the sweeper re-derives anything lost.
  const graceful = Promise.all(workers.map((worker) => worker.close()));
  const timeout = new Promise<'timeout'>((resolve) =>
    setTimeout(() => resolve('timeout'), 20_000).unref(),
  );
  if ((await Promise.race([graceful, timeout])) === 'timeout') {
    logger.warn('active jobs did not finish in 20 s; releasing them');
    await Promise.all(workers.map((worker) => worker.close(true)));
  }
  metricsServer?.close();
  ctx.clusters.closeAll();
  await clusterSlots.close();
  await ctx.queues.close();
  await Promise.allSettled([ctx.db.$disconnect(), redis.quit()]);
  logger.info('stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
