import { cpus, totalmem } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '@flotilla/testkit';
import { Redis } from 'ioredis';
import { FleetDb } from './fleet-db.ts';
import { createBenchRepo, type BenchRepo } from './fleet-repo.ts';
import { startBenchPlatform, type BenchPlatform } from './platform.ts';
import { runPhases, type BenchSession } from './phases.ts';
import { CpuMeter, machineLoadMeter, memoryOf } from './proc-stats.ts';
import { renderTable, saveResults, type BenchResults } from './report.ts';
import { startBenchSim, type BenchSim } from './sim.ts';

/*
 * `npm run bench -- --clusters N --bundles M`: the real platform (web + API, worker, Postgres,
 * Redis) against N kube-sim clusters and a Git repository of M bundles. Prints P1-P6 beside
 * their targets and writes them to bench/results/<date>-<N>x<M>.json. See docs/PERFORMANCE.md.
 */

const USAGE =
  'usage: npm run bench -- --clusters N --bundles M [--ready-delay-ms 500] [--matrix-requests 30] [--rest-seconds 0] ' +
  '[--phase-timeout-seconds 600] [--cpu-profile DIR] [--output FILE] [--hanging N [--hanging-only]]\n' +
  '  [--workers 1 | --workers 1,2,3 (P2 again with each count of worker processes: the scale-out line)]\n' +
  '  [--rollout-partitions 10 [--rollout-only]]\n' +
  '       npm run bench -- --dashboard [--clusters 1000] [--bundles 50] [--rounds 5] [--output FILE]';

/**
 * Worker settings for the bench (see docs/PERFORMANCE.md for why each); any FLOTILLA_*
 * variable in the environment overrides them, and the results record what was used.
 */
const WORKER_DEFAULTS: Record<string, string> = {
  FLOTILLA_WORKER_CONCURRENCY: '64',
  FLOTILLA_CLUSTER_CONCURRENCY: '1',
  FLOTILLA_MONITOR_INTERVAL_SECONDS: '120',
  FLOTILLA_PROBE_INTERVAL_SECONDS: '30',
  FLOTILLA_TICK_SECONDS: '1',
  FLOTILLA_SWEEP_INTERVAL_SECONDS: '15',
  FLOTILLA_REQUEUE_AFTER_SECONDS: '600',
};

function positive(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) {
    console.error(`bench: --${name} must be a positive integer, got "${value}"\n${USAGE}`);
    process.exit(2);
  }
  return parsed;
}

function workerEnvironment(): Record<string, string> {
  const isWorkerSetting = (name: string) =>
    name.startsWith('FLOTILLA_') &&
    name !== 'FLOTILLA_WEB_DIST_DIR' &&
    !name.startsWith('FLOTILLA_TEST_') &&
    !name.startsWith('FLOTILLA_BENCH_');
  const overrides = Object.entries(process.env).filter(
    (entry): entry is [string, string] => isWorkerSetting(entry[0]) && entry[1] !== undefined,
  );
  // Node flags for the worker alone, recorded with the other settings. V8 grows its heap
  // lazily up to a quarter of the machine's memory; a cap makes it collect instead.
  const nodeOptions = process.env.FLOTILLA_BENCH_WORKER_NODE_OPTIONS ?? '--max-old-space-size=256';
  return {
    ...WORKER_DEFAULTS,
    ...Object.fromEntries(overrides),
    ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}),
  };
}

const { values } = parseArgs({
  options: {
    clusters: { type: 'string' },
    bundles: { type: 'string' },
    'ready-delay-ms': { type: 'string' },
    'matrix-requests': { type: 'string' },
    'rest-seconds': { type: 'string' },
    'phase-timeout-seconds': { type: 'string' },
    'cpu-profile': { type: 'string' },
    output: { type: 'string' },
    hanging: { type: 'string' },
    'hanging-only': { type: 'boolean' },
    'rollout-partitions': { type: 'string' },
    'rollout-only': { type: 'boolean' },
    workers: { type: 'string' },
    help: { type: 'boolean' },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

const clusters = positive(values.clusters, 'clusters', 100);
const bundles = positive(values.bundles, 'bundles', 50);
const readyDelayMs = positive(values['ready-delay-ms'], 'ready-delay-ms', 500);
const workerEnv = workerEnvironment();
/** Worker processes for each P2 run: the first count is also what every other phase runs with. */
const workerCounts = (values.workers ?? '1')
  .split(',')
  .map((count) => positive(count, 'workers', 1));
if (workerCounts.some((count, index) => index > 0 && count <= workerCounts[index - 1]!)) {
  console.error(`bench: --workers must be increasing counts, got "${values.workers}"\n${USAGE}`);
  process.exit(2);
}
const startedAt = new Date();
const resultsFile =
  values.output ??
  path.join(
    REPO_ROOT,
    'bench/results',
    `${startedAt.toISOString().slice(0, 10)}-${clusters}x${bundles}.json`,
  );
const loadMeter = machineLoadMeter();

const results: BenchResults = {
  startedAt: startedAt.toISOString(),
  command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
  clusters,
  bundles,
  readyDelayMs,
  machine: {
    cores: cpus().length,
    memoryBytes: totalmem(),
    node: process.version,
    loadAtStart: loadMeter.sample(),
  },
  workerEnv,
  workerProcesses: workerCounts,
  figures: [],
  phases: [],
  errors: [],
};

const say = (message: string) => console.log(`bench | ${message}`);
let sim: BenchSim | undefined;
let platform: BenchPlatform | undefined;
let repo: BenchRepo | undefined;
let redis: Redis | undefined;
let memoryTimer: NodeJS.Timeout | undefined;
let vacuumTimer: NodeJS.Timeout | undefined;
/** autovacuum's default nap: how often it would look at a busy table. */
const VACUUM_EVERY_MS = 60_000;

// Ctrl-C still stops what the bench started (web, worker, Redis, kube-sim, the database).
let isStopping = false;
async function stopEverything(): Promise<void> {
  if (isStopping) return;
  isStopping = true;
  if (memoryTimer) clearInterval(memoryTimer);
  if (vacuumTimer) clearTimeout(vacuumTimer);
  redis?.disconnect();
  await platform?.stop().catch((error: unknown) => say(`stopping the platform: ${String(error)}`));
  await sim?.stop();
  await repo?.remove();
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    say(`${signal}: stopping`);
    void stopEverything().then(() => process.exit(130));
  });
}

try {
  say(`starting ${clusters} simulated clusters (ready delay ${readyDelayMs} ms)`);
  sim = await startBenchSim({ clusters, readyDelayMs });
  say(
    `starting web, ${workerCounts[0]} worker process(es), a fresh database and a Redis of our own`,
  );
  platform = await startBenchPlatform({
    webDistDir: process.env.FLOTILLA_WEB_DIST_DIR || '.next-bench',
    workerEnv,
    workers: workerCounts[0]!,
    ...(values['cpu-profile'] ? { cpuProfileDir: path.resolve(values['cpu-profile']) } : {}),
  });
  redis = new Redis(platform.redisUrl, { maxRetriesPerRequest: 1 });
  repo = await createBenchRepo(bundles);
  const fleetDb = new FleetDb(platform.database.db);
  const running = { sim, platform };
  const cpu = new CpuMeter({
    worker: () => running.platform.workerPids(),
    web: () => running.platform.webPids(),
    sim: () => [running.sim.pid],
    postgres: () => fleetDb.backendPids(),
    redis: () => running.platform.redisPids(),
    bench: () => [process.pid],
  });
  // A server with autovacuum off (a test setup, as on the machine this was written on) lets
  // dead row versions pile up under the deploy churn until every query reads ten times the
  // table. The bench then vacuums its own database as autovacuum would, and says so.
  results.machine.postgres = {
    autovacuum: await fleetDb.setting('autovacuum'),
    shared_buffers: await fleetDb.setting('shared_buffers'),
    synchronous_commit: await fleetDb.setting('synchronous_commit'),
  };
  if (results.machine.postgres.autovacuum === 'off') {
    results.machine.postgres.vacuumedByBench = `every ${VACUUM_EVERY_MS / 1000} s`;
    const vacuumLater = () => {
      vacuumTimer = setTimeout(() => {
        fleetDb.vacuum().then(vacuumLater, (error: unknown) => {
          if (!isStopping) say(`vacuum failed: ${String(error)}`);
        });
      }, VACUUM_EVERY_MS);
    };
    vacuumLater();
  }
  await cpu.sample();
  // The highest peak of any one worker process (each holds its own clients and caches).
  const workerMemory = { peakRssBytes: 0 };
  memoryTimer = setInterval(() => {
    for (const pid of running.platform.workerPids()) {
      const memory = memoryOf(pid);
      if (memory)
        workerMemory.peakRssBytes = Math.max(workerMemory.peakRssBytes, memory.peakRssBytes);
    }
  }, 1000);

  const session: BenchSession = {
    clusters,
    bundles,
    readyDelayMs,
    workerEnv,
    workerCounts,
    phaseTimeoutMs: positive(values['phase-timeout-seconds'], 'phase-timeout-seconds', 600) * 1000,
    matrixRequests: positive(values['matrix-requests'], 'matrix-requests', 30),
    restSeconds:
      values['rest-seconds'] === '0' ? 0 : positive(values['rest-seconds'], 'rest-seconds', 0),
    hanging: values.hanging === '0' ? 0 : positive(values.hanging, 'hanging', 0),
    isHangingOnly: values['hanging-only'] === true,
    rolloutPartitions:
      values['rollout-partitions'] === undefined
        ? 0
        : positive(values['rollout-partitions'], 'rollout-partitions', 10),
    isRolloutOnly: values['rollout-only'] === true,
    sim,
    platform,
    repo,
    redis,
    fleetDb,
    workerMemory,
    results,
    say,
    measure: async (name, action) => {
      const started = performance.now();
      say(`── ${name}`);
      const details: Record<string, unknown> = {};
      const requestsBefore = await running.sim.totals();
      const transactionsBefore = await fleetDb.transactions();
      try {
        await action(details);
      } finally {
        const requestsAfter = await running.sim.totals();
        // pg_stat_database is refreshed by each backend at the end of its transactions, with a
        // delay of up to a second: good enough to compare phases lasting many seconds.
        details.postgresTransactions = (await fleetDb.transactions()) - transactionsBefore;
        details.clusterRequests = Object.fromEntries(
          Object.entries(requestsAfter.byVerb)
            .map(([verb, count]) => [verb, count - (requestsBefore.byVerb[verb] ?? 0)])
            .filter(([, count]) => count !== 0),
        );
        results.phases.push({
          name,
          seconds: Math.round((performance.now() - started) / 100) / 10,
          cpuSeconds: await cpu.sample(),
          load: loadMeter.sample(),
          details,
        });
        saveResults(resultsFile, results, { isFinal: false });
      }
    },
  };
  await runPhases(session);
} catch (error) {
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  results.errors.push(message);
  console.error(`bench | failed: ${message}`);
  if (platform) console.error(`bench | worker log (tail):\n${platform.workerLog().slice(-6000)}`);
} finally {
  if (memoryTimer) clearInterval(memoryTimer);
  results.finishedAt = new Date().toISOString();
  console.log(`\n${renderTable(results)}\n`);
  saveResults(resultsFile, results, { isFinal: results.errors.length === 0 });
  say(
    results.errors.length === 0
      ? `results: ${path.relative(process.cwd(), resultsFile)}`
      : `incomplete results: ${path.relative(process.cwd(), resultsFile)}.tmp`,
  );
  await stopEverything();
}
process.exit(results.errors.length === 0 ? 0 : 1);
