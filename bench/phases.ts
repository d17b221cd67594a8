import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeObject } from '@flotilla/kube';
import type { Redis } from 'ioredis';
import pLimit from 'p-limit';
import type { FleetDb, Progress } from './fleet-db.ts';
import { bundleName, type BenchRepo } from './fleet-repo.ts';
import { openFloor, type FloorResult } from './floor.ts';
import { measureRollout } from './rollout-phase.ts';
import type { BenchPlatform } from './platform.ts';
import { memoryOf } from './proc-stats.ts';
import { percentile, type BenchResults, type Figure } from './report.ts';
import type { BenchSim } from './sim.ts';
import { measureSlowClusters } from './slow-clusters.ts';

/** Redis key the render use case increments (packages/core/src/metrics/counters.ts). */
const RENDER_COUNTER_KEY = 'flotilla:metrics:renders';
/** Registering clusters is set-up, not a figure: a few requests at a time keep it quick. */
const REGISTRATIONS_AT_ONCE = 8;

export interface BenchSession {
  clusters: number;
  bundles: number;
  readyDelayMs: number;
  workerEnv: Record<string, string>;
  /** Worker processes for each P2 run (`--workers 1,2,3`); the first is every other phase's. */
  workerCounts: number[];
  phaseTimeoutMs: number;
  matrixRequests: number;
  /** Seconds of the "at rest" phase after P2 (0: none). */
  restSeconds: number;
  /** Clusters made to hang in P7 (0: no P7). */
  hanging: number;
  /** Only the set-up and P7. */
  isHangingOnly: boolean;
  /** Partitions of the P1 rollout phase (0: no such phase). */
  rolloutPartitions: number;
  /** Only the set-up, P1 and the P1 rollout phase. */
  isRolloutOnly: boolean;
  sim: BenchSim;
  platform: BenchPlatform;
  repo: BenchRepo;
  redis: Redis;
  fleetDb: FleetDb;
  workerMemory: { peakRssBytes: number };
  results: BenchResults;
  say: (message: string) => void;
  /** Runs one phase, recording its wall time, CPU per process and the machine's load. */
  measure: (
    name: string,
    action: (details: Record<string, unknown>) => Promise<void>,
  ) => Promise<void>;
}

class PhaseTimeout extends Error {
  override readonly name = 'PhaseTimeout';
}

/** Polls until `probe` says done; prints its status every 5 s. Returns the seconds waited. */
async function waitUntil(
  session: BenchSession,
  what: string,
  probe: () => Promise<{ isDone: boolean; status: string }>,
  { intervalMs = 250, timeoutMs = session.phaseTimeoutMs } = {},
): Promise<number> {
  const started = performance.now();
  let lastSaid = started;
  for (;;) {
    const { isDone, status } = await probe();
    const now = performance.now();
    if (isDone) return (now - started) / 1000;
    if (now - started > timeoutMs) {
      throw new PhaseTimeout(
        `${what}: not done after ${Math.round(timeoutMs / 1000)} s (${status})`,
      );
    }
    if (now - lastSaid >= 5000) {
      session.say(`  ${what}: ${status} (${Math.round((now - started) / 1000)} s)`);
      lastSaid = now;
    }
    await sleep(intervalMs);
  }
}

function describe(progress: Progress): string {
  return `${progress.applied}/${progress.total} applied, ${progress.ready} Ready`;
}

async function json<T>(response: Response): Promise<T> {
  const text = await response.text();
  if (!response.ok) throw new Error(`${response.status} ${response.url}: ${text.slice(0, 500)}`);
  return JSON.parse(text) as T;
}

function seconds(ms: number | null, from: number): number | null {
  return ms === null ? null : Math.round(ms - from) / 1000;
}

function figure(session: BenchSession, entry: Figure): void {
  session.results.figures.push(entry);
}

async function renderCount(redis: Redis): Promise<number> {
  return Number((await redis.get(RENDER_COUNTER_KEY)) ?? 0);
}

export async function runPhases(session: BenchSession): Promise<void> {
  const { clusters, bundles, platform, fleetDb, sim, repo } = session;
  const everything = clusters * bundles;
  const workerConcurrency = Number(session.workerEnv.FLOTILLA_WORKER_CONCURRENCY);
  const clusterConcurrency = Number(session.workerEnv.FLOTILLA_CLUSTER_CONCURRENCY);
  const monitorIntervalMs = Number(session.workerEnv.FLOTILLA_MONITOR_INTERVAL_SECONDS) * 1000;
  let gitRepoId = '';
  const sync = async () => {
    const response = await platform.api(`/api/v1/gitrepos/${gitRepoId}/sync`, { method: 'POST' });
    if (response.status !== 202)
      throw new Error(`sync: ${response.status} ${await response.text()}`);
  };

  await session.measure('register', async (details) => {
    const limit = pLimit(REGISTRATIONS_AT_ONCE);
    await Promise.all(
      sim.clusters.map((cluster, index) =>
        limit(async () => {
          await json(
            await platform.api('/api/v1/clusters', {
              json: {
                name: cluster.name,
                labels: { bench: 'yes', shard: String(index % 10) },
                apiServerUrl: cluster.url,
                caData: cluster.caData,
                token: cluster.token,
              },
            }),
          );
        }),
      ),
    );
    details.onlineSeconds = await waitUntil(session, 'clusters Online', async () => {
      const online = await fleetDb.onlineClusters();
      return { isDone: online >= clusters, status: `${online}/${clusters} Online` };
    });
  });

  const firstCommit = await repo.head();
  await session.measure('initial fan-out', async (details) => {
    const created = await json<{ id: string }>(
      await platform.api('/api/v1/gitrepos', {
        json: {
          name: 'bench',
          url: repo.url,
          paths: ['bundles'],
          targets: [{ clusterSelector: 'bench=yes' }],
          pollIntervalSeconds: 3600,
        },
      }),
    );
    gitRepoId = created.id;
    const started = Date.now();
    const waited = await waitUntil(session, 'first deploy', async () => {
      const progress = await fleetDb.progress(firstCommit);
      return {
        isDone: progress.total === everything && progress.ready === everything,
        status: describe(progress),
      };
    });
    const stages = await fleetDb.stageTimes(firstCommit);
    details.deploymentsPerSecond = Math.round(
      everything / (seconds(stages.lastAppliedAt, started) ?? waited),
    );
    details.allReadySeconds = waited;
  });

  const slowClusters = () =>
    measureSlowClusters(session, {
      hanging: session.hanging,
      sync,
      waitUntil: (what, probe) => waitUntil(session, what, probe, { intervalMs: 500 }),
    });
  if (session.isHangingOnly) {
    await slowClusters();
    return;
  }

  const bundleRows = await fleetDb.bundles();
  const first = bundleRows.find((row) => row.path === `bundles/${bundleName(0)}`);
  if (!first) throw new Error(`no bundle ${bundleName(0)} found`);

  let p1Seconds: number | null = null;
  await session.measure('P1 one bundle', async (details) => {
    const started = Date.now();
    const commit = await repo.changeBundles('v2', [0]);
    await sync();
    try {
      details.observedSeconds = await waitUntil(
        session,
        `${bundleName(0)} Ready everywhere`,
        async () => {
          const progress = await fleetDb.progress(commit, first.id);
          return { isDone: progress.ready >= clusters, status: describe(progress) };
        },
      );
    } catch (error) {
      if (!(error instanceof PhaseTimeout)) throw error;
      session.results.errors.push(error.message);
    }
    const latencies = (await fleetDb.readyTimes(commit, first.id)).map(
      (at) => (at - started) / 1000,
    );
    const stages = await fleetDb.stageTimes(commit, first.id);
    details.stages = {
      fetchedSeconds: seconds(stages.fetchedAt, started),
      firstDeployQueuedSeconds: seconds(stages.firstEnqueuedAt, started),
      firstAppliedSeconds: seconds(stages.firstAppliedAt, started),
      lastAppliedSeconds: seconds(stages.lastAppliedAt, started),
      lastReadySeconds: seconds(stages.lastReadyAt, started),
    };
    const isComplete = latencies.length >= clusters;
    p1Seconds = isComplete ? Math.max(...latencies) : null;
    const target = clusters <= 100 ? 10 : 60;
    figure(session, {
      id: 'P1',
      what: `commit -> all ${clusters} clusters Ready`,
      value: p1Seconds,
      unit: 's',
      target: `<= ${target} s at ${clusters <= 100 ? 100 : 1000}`,
      isMet: p1Seconds === null ? false : p1Seconds <= target,
      ...(isComplete
        ? {}
        : { note: `only ${latencies.length}/${clusters} Ready before the timeout` }),
    });
    figure(session, {
      id: 'P1 p50',
      what: 'per cluster, commit -> Ready',
      value: percentile(latencies, 0.5),
      unit: 's',
      target: '',
      isMet: null,
    });
    figure(session, {
      id: 'P1 p95',
      what: 'per cluster, commit -> Ready',
      value: percentile(latencies, 0.95),
      unit: 's',
      target: '',
      isMet: null,
    });
  });

  if (session.rolloutPartitions > 0) {
    await measureRollout(session, {
      partitions: session.rolloutPartitions,
      bundleId: first.id,
      sync,
      waitForAllReady: (commit) =>
        waitUntil(session, `${bundleName(0)} Ready everywhere through the rollout`, async () => {
          const progress = await fleetDb.progress(commit, first.id);
          return { isDone: progress.ready >= clusters, status: describe(progress) };
        }),
      p1Seconds,
    });
    if (session.isRolloutOnly) return;
  }

  const objects = (await fleetDb.appliedObjects(first.id)) as KubeObject[] | undefined;
  if (!objects) throw new Error('no applied revision to measure the floor with');
  const floorClients = openFloor({
    clusters: sim.clusters,
    objects,
    clustersAtOnce: workerConcurrency,
    requestsPerCluster: clusterConcurrency,
  });
  const failed = (floor: FloorResult) => {
    if (floor.failures.length > 0)
      throw new Error(`floor applies failed: ${floor.failures.slice(0, 3).join('; ')}`);
  };
  try {
    // The untimed pass (connections, discovery, the objects' creation) is a phase of its own,
    // so that the CPU recorded for 'P3 floor' is the timed pass's alone.
    await session.measure('P3 floor warm-up', async () => failed(await floorClients.warmUp()));
    await session.measure('P3 floor', async (details) => {
      const floor = await floorClients.measure();
      failed(floor);
      const floorSeconds = floor.applySeconds + session.readyDelayMs / 1000;
      details.applySeconds = floor.applySeconds;
      details.requests = floor.requests;
      details.floorSeconds = floorSeconds;
      const ratio = p1Seconds === null ? null : p1Seconds / floorSeconds;
      figure(session, {
        id: 'P3',
        what: 'P1 / floor (bare apply loop + ready delay)',
        value: ratio,
        unit: 'x',
        // Issue 17's line (its text also quotes an older 1.3).
        target: '<= 1.5',
        isMet: ratio === null ? false : ratio <= 1.5,
        note: `floor ${floorSeconds.toFixed(2)} s = ${floor.requests} applies in ${floor.applySeconds.toFixed(2)} s (${workerConcurrency} clusters at once, ${clusterConcurrency} requests per cluster) + ${session.readyDelayMs} ms ready delay`,
      });
    });
  } finally {
    floorClients.close();
  }
  reportP3Cpu(session);

  await session.measure('P4 no-op commit', async (details) => {
    const [before, rendersBefore, inputsBefore] = await Promise.all([
      sim.totals(),
      renderCount(session.redis),
      fleetDb.distinctRenderInputs(),
    ]);
    const commit = await repo.touchReadme('a change outside every bundle');
    await sync();
    await waitUntil(session, 'no-op commit planned', async () => {
      const planned = await fleetDb.planned(commit);
      return {
        isDone: planned.bundlesRendered === bundles && planned.deploymentsPlanned === everything,
        status: `${planned.bundlesRendered}/${bundles} rendered, ${planned.deploymentsPlanned}/${everything} planned`,
      };
    });
    // Anything the commit would make the platform do to clusters happens within a monitor
    // interval of the plan: wait that long before counting.
    await sleep(Math.min(monitorIntervalMs, 30_000) + 3000);
    const [after, rendersAfter, inputsAfter] = await Promise.all([
      sim.totals(),
      renderCount(session.redis),
      fleetDb.distinctRenderInputs(),
    ]);
    const mutating = after.mutating - before.mutating;
    const verbs = Object.fromEntries(
      Object.entries(after.byVerb).map(([verb, count]) => [
        verb,
        count - (before.byVerb[verb] ?? 0),
      ]),
    );
    details.requestsByVerb = verbs;
    details.renders = rendersAfter - rendersBefore;
    details.distinctInputs = inputsAfter - inputsBefore;
    figure(session, {
      id: 'P4 writes',
      what: 'mutating cluster requests for a no-op commit',
      value: mutating,
      unit: '',
      target: '0',
      isMet: mutating === 0,
      note: `cluster requests meanwhile by verb: ${JSON.stringify(verbs)}`,
    });
    const totalRenders = await renderCount(session.redis);
    const ratio = totalRenders / Math.max(1, inputsAfter);
    figure(session, {
      id: 'P4 renders',
      what: 'renders per distinct input (whole run)',
      value: ratio,
      unit: '',
      target: '1',
      isMet: ratio === 1,
      note: `${totalRenders} renders for ${inputsAfter} distinct (bundle, commit, customization) inputs; the no-op commit rendered ${rendersAfter - rendersBefore} for ${inputsAfter - inputsBefore} new inputs`,
    });
  });

  const measureP2 = async (workers: number, version: string) => {
    const name = workers === 1 ? 'P2 all bundles' : `P2 all bundles, ${workers} workers`;
    const monitoredBefore = await monitoredDeployments(platform.workerMetricsUrls());
    await session.measure(name, async (details) => {
      const started = Date.now();
      const commit = await repo.changeBundles(version);
      await sync();
      let appliedSeconds: number | null = null;
      try {
        appliedSeconds = await waitUntil(
          session,
          'all bundles applied',
          async () => {
            const progress = await fleetDb.progress(commit);
            return { isDone: progress.applied >= everything, status: describe(progress) };
          },
          { intervalMs: 1000 },
        );
        details.allReadySeconds =
          appliedSeconds +
          (await waitUntil(
            session,
            'all bundles Ready',
            async () => {
              const progress = await fleetDb.progress(commit);
              return { isDone: progress.ready >= everything, status: describe(progress) };
            },
            { intervalMs: 1000 },
          ));
      } catch (error) {
        if (!(error instanceof PhaseTimeout)) throw error;
        session.results.errors.push(error.message);
      }
      const stages = await fleetDb.stageTimes(commit);
      const lastApplied = seconds(stages.lastAppliedAt, started);
      const progress = await fleetDb.progress(commit);
      details.stages = {
        fetchedSeconds: seconds(stages.fetchedAt, started),
        firstDeployQueuedSeconds: seconds(stages.firstEnqueuedAt, started),
        firstAppliedSeconds: seconds(stages.firstAppliedAt, started),
        lastAppliedSeconds: lastApplied,
        lastReadySeconds: seconds(stages.lastReadyAt, started),
      };
      const rate = lastApplied && lastApplied > 0 ? progress.applied / lastApplied : null;
      figure(session, {
        id: workers === 1 ? 'P2' : `P2, ${workers} workers`,
        what: `deployments per second, commit changing ${bundles} bundles on ${clusters} clusters, ${workers} worker process${workers === 1 ? '' : 'es'}`,
        value: rate,
        unit: '/s',
        target: '>= 200/s',
        isMet: rate === null ? false : rate >= 200 && progress.applied >= everything,
        note: `${progress.applied}/${everything} applied ${lastApplied ?? '?'} s after the commit${appliedSeconds === null ? ' (timed out)' : ''}; all Ready after ${String(details.allReadySeconds ?? '?')} s`,
      });
    });
    // Worker CPU per deployment: every worker process's CPU over the phase, over what it applied.
    const phase = session.results.phases.at(-1);
    const workerCpu = phase?.name === name ? phase.cpuSeconds.worker : undefined;
    const perDeploymentMs = workerCpu === undefined ? null : (workerCpu * 1000) / everything;
    const monitoredAfter = await monitoredDeployments(platform.workerMetricsUrls());
    const monitored = `monitor passes during P2: ${monitoredAfter.assessed - monitoredBefore.assessed} deployments assessed, ${monitoredAfter.settled - monitoredBefore.settled} settled (not assessed again); ${monitoredAfter.replanned - monitoredBefore.replanned} deployments planned again (written meanwhile)`;
    figure(session, {
      id: workers === 1 ? 'P2 CPU' : `P2 CPU, ${workers} workers`,
      what: `worker CPU per deployment in P2, ${workers} worker process${workers === 1 ? '' : 'es'} (sum)`,
      value: perDeploymentMs,
      unit: 'ms',
      target: '<= 5 ms',
      isMet: perDeploymentMs === null ? false : perDeploymentMs <= 5,
      note: `${workerCpu ?? '?'} CPU s over ${everything} deployments; ${monitored}`,
    });
  };

  // The scale-out line: P2 again with each further count of worker processes (--workers 1,2,3),
  // each started in a phase of its own so its start-up is not charged to P2.
  for (const [index, workers] of session.workerCounts.entries()) {
    if (index > 0) {
      await session.measure(`start workers to ${workers}`, async (details) => {
        while (platform.workerPids().length < workers) await platform.addWorker();
        details.workerPids = platform.workerPids();
      });
    }
    await measureP2(workers, index === 0 ? 'v3' : `v3-${workers}w`);
  }
  // The phases after P2 run as the ones before it did: with the first count of workers.
  if (platform.workerPids().length > session.workerCounts[0]!) {
    session.say(`stopping the workers started for the scale-out line`);
    await platform.stopWorkersBeyond(session.workerCounts[0]!);
  }

  // What the worker spends on a settled fleet (monitor passes, probes, ticks): a cost per second
  // that grows with clusters x bundles and is charged to every phase as long as it lasts.
  if (session.restSeconds > 0) {
    await session.measure('at rest', async (details) => {
      await new Promise((resolve) => setTimeout(resolve, session.restSeconds * 1000));
      details.restSeconds = session.restSeconds;
    });
  }

  await session.measure('P5 matrix', async (details) => {
    // Three answers of the same matrix, each timed over `matrixRequests` requests one after
    // another (3 warm-up requests first): the full form (the public contract), the compact form
    // the overview reads, and the compact form's 304 for a client whose copy is current.
    async function timeMatrix(pathname: string, headers: Record<string, string> = {}) {
      const timings: number[] = [];
      let bytes = 0;
      let body = '';
      let etag = '';
      for (let index = 0; index < session.matrixRequests + 3; index += 1) {
        const started = performance.now();
        const response = await platform.api(pathname, { headers });
        body = await response.text();
        const elapsed = performance.now() - started;
        if (!response.ok && response.status !== 304) {
          throw new Error(`matrix: ${response.status} ${body.slice(0, 300)}`);
        }
        etag = response.headers.get('etag') ?? '';
        if (index < 3) continue;
        timings.push(elapsed);
        bytes = body.length;
      }
      return { timings, bytes, body, etag };
    }
    const full = await timeMatrix('/api/v1/fleet/matrix');
    const compact = await timeMatrix('/api/v1/fleet/matrix?format=compact');
    const notModified = await timeMatrix('/api/v1/fleet/matrix?format=compact', {
      'if-none-match': compact.etag,
    });
    const cells = (JSON.parse(full.body) as { cells: unknown[] }).cells.length;
    details.timingsMs = {
      full: full.timings.map((value) => Math.round(value)),
      compact: compact.timings.map((value) => Math.round(value)),
      notModified: notModified.timings.map((value) => Math.round(value)),
    };
    details.queryPlan = await fleetDb.explainMatrix(await fleetDb.workspaceId());
    details.table = await fleetDb.deploymentTableHealth();
    details.cells = cells;
    details.responseBytes = {
      full: full.bytes,
      compact: compact.bytes,
      notModified: notModified.bytes,
    };
    const what = (form: string) => `GET /api/v1/fleet/matrix${form} (${cells} cells)`;
    const note = (bytes: number) =>
      `${session.matrixRequests} requests one after another, ${(bytes / 1024).toFixed(0)} KiB each`;
    figure(session, {
      id: 'P5 full p50',
      what: what(''),
      value: percentile(full.timings, 0.5),
      unit: 'ms',
      target: '',
      isMet: null,
    });
    figure(session, {
      id: 'P5 full p95',
      what: what(''),
      value: percentile(full.timings, 0.95),
      unit: 'ms',
      target: '',
      isMet: null,
      note: note(full.bytes),
    });
    figure(session, {
      id: 'P5 p50',
      what: what('?format=compact'),
      value: percentile(compact.timings, 0.5),
      unit: 'ms',
      target: '',
      isMet: null,
    });
    const p95 = percentile(compact.timings, 0.95);
    figure(session, {
      id: 'P5 p95',
      what: what('?format=compact'),
      value: p95,
      unit: 'ms',
      target: '<= 150 ms',
      isMet: p95 <= 150,
      note: note(compact.bytes),
    });
    const notModifiedP95 = percentile(notModified.timings, 0.95);
    figure(session, {
      id: 'P5 304 p95',
      what: `${what('?format=compact')}, If-None-Match: current ETag`,
      value: notModifiedP95,
      unit: 'ms',
      target: '<= 10 ms',
      isMet: notModifiedP95 <= 10,
      note: `${session.matrixRequests} requests; p50 ${percentile(notModified.timings, 0.5).toFixed(1)} ms`,
    });
  });

  if (session.hanging > 0) await slowClusters();

  const memories = platform.workerPids().flatMap((pid) => memoryOf(pid) ?? []);
  const memory = memories.at(0);
  const peak = Math.max(
    session.workerMemory.peakRssBytes,
    ...memories.map((entry) => entry.peakRssBytes),
  );
  const storage = await fleetDb.deploymentStorage();
  const heaps = await Promise.all(platform.workerMetricsUrls().map(workerHeap));
  figure(session, {
    id: 'P6 memory',
    what: `worker peak RSS with ${clusters} clusters (the highest of any one worker process)`,
    value: peak / 2 ** 20,
    unit: 'MiB',
    target: '<= 500 MB',
    isMet: peak <= 500 * 1e6,
    note: `RSS at the end ${((memory?.rssBytes ?? 0) / 2 ** 20).toFixed(0)} MiB; of which, per worker: ${heaps.map(describeHeap).join('; ')}`,
  });
  figure(session, {
    id: 'P6 storage',
    what: 'Postgres bytes per deployment (BundleDeployment, with indexes)',
    value: storage.totalBytes / Math.max(1, storage.rows),
    unit: 'B',
    target: '',
    isMet: null,
    note: `${storage.rows} rows, ${(storage.totalBytes / 2 ** 20).toFixed(1)} MiB in all; a live row is ${storage.averageRowBytes} B on average (the rest is dead versions and indexes)`,
  });
}

/**
 * What the monitor passes of every worker did so far (flotilla_monitor_deployments_total): a
 * worker whose /metrics cannot be read counts as none.
 */
async function monitoredDeployments(
  urls: readonly string[],
): Promise<{ assessed: number; settled: number; replanned: number }> {
  const texts = await Promise.all(
    urls.map(async (url) => {
      const response = await fetch(url).catch(() => undefined);
      return response?.ok ? response.text() : '';
    }),
  );
  const sum = (sample: string) =>
    texts.reduce((total, text) => {
      const match = new RegExp(`^${sample} (\\S+)$`, 'm').exec(text);
      return total + Number(match?.[1] ?? 0);
    }, 0);
  const monitored = (outcome: string) =>
    sum(`flotilla_monitor_deployments_total\\{outcome="${outcome}"\\}`);
  return {
    assessed: monitored('assessed'),
    settled: monitored('settled'),
    replanned: sum('flotilla_plan_replanned_deployments_total'),
  };
}

/** A worker's V8 heap and off-heap memory, from its own GET /metrics (prom-client's defaults). */
async function workerHeap(url: string): Promise<Record<string, number> | undefined> {
  const response = await fetch(url).catch(() => undefined);
  if (!response?.ok) return undefined;
  const text = await response.text();
  const read = (name: string) =>
    Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
  return {
    rss: read('process_resident_memory_bytes'),
    heapUsed: read('nodejs_heap_size_used_bytes'),
    heapTotal: read('nodejs_heap_size_total_bytes'),
    external: read('nodejs_external_memory_bytes'),
  };
}

function describeHeap(heap: Record<string, number> | undefined): string {
  if (!heap) return 'no /metrics';
  const mib = (bytes: number | undefined) => `${((bytes ?? 0) / 2 ** 20).toFixed(0)} MiB`;
  return `V8 heap ${mib(heap.heapUsed)} used of ${mib(heap.heapTotal)}, external ${mib(heap.external)}, RSS ${mib(heap.rss)}`;
}

/**
 * What P3 compares, in CPU: every process's CPU seconds in P1 against the floor's timed pass
 * (its client and kube-sim). Spread perfectly over the machine's cores, P1's CPU alone takes
 * `cpu / cores` seconds: a lower bound of P1 on this machine whatever the scheduling.
 */
function reportP3Cpu(session: BenchSession): void {
  const cpuOf = (name: string) =>
    session.results.phases.find((phase) => phase.name === name)?.cpuSeconds;
  const [p1, floor] = [cpuOf('P1 one bundle'), cpuOf('P3 floor')];
  if (!p1 || !floor) return;
  const total = (cpu: Record<string, number>) =>
    Object.values(cpu).reduce((sum, seconds) => sum + seconds, 0);
  const list = (cpu: Record<string, number>) =>
    Object.entries(cpu)
      .filter(([, seconds]) => seconds > 0)
      .map(([name, seconds]) => `${name} ${seconds.toFixed(1)}`)
      .join(', ');
  const cores = session.results.machine.cores;
  figure(session, {
    id: 'P3 CPU',
    what: `CPU seconds of P1 over the floor's timed pass (all processes); P1 >= its CPU / ${cores} cores`,
    value: total(floor) > 0 ? total(p1) / total(floor) : null,
    unit: 'x',
    target: '',
    isMet: null,
    note: `P1 ${total(p1).toFixed(1)} CPU s (${list(p1)}): at least ${(total(p1) / cores).toFixed(2)} s on ${cores} cores; floor ${total(floor).toFixed(1)} CPU s (${list(floor)})`,
  });
}
