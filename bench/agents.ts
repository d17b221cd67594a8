import { fork, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { REPO_ROOT, testPki } from '@flotilla/testkit';
import pLimit from 'p-limit';
import type { AgentHostMessage, AgentHostRequest } from './agent-protocol.ts';
import { FleetDb } from './fleet-db.ts';
import { createBenchRepo, type BenchRepo } from './fleet-repo.ts';
import { startBenchPlatform, type BenchPlatform } from './platform.ts';
import { CpuMeter, machineLoadMeter } from './proc-stats.ts';
import { saveResults, type BenchResults } from './report.ts';

/*
 * `npm run bench -- --agents 1000 [--bundles 2] [--idle-seconds 60]`: the real platform (web,
 * worker, Postgres, Redis) and N agent clusters: N kube-sim clusters, each with apps/agent's
 * agent (default settings: heartbeat, long-poll wait and resync every 30 s), all in a process
 * of their own. Measures what idle agents cost the web server (requests per second, CPU share
 * of one core, and Postgres's), then how long one commit takes to reach every agent cluster
 * Ready, printed beside the push path's P1 figure of the last recorded 1000-cluster run.
 * Writes bench/results/<date>-agents-<N>.json. See docs/PERFORMANCE.md.
 */

const USAGE =
  'usage: npm run bench -- --agents N [--bundles 2] [--idle-seconds 60] [--ready-delay-ms 500] ' +
  '[--phase-timeout-seconds 900] [--output FILE]';
const say = (message: string) => console.log(`bench agents | ${message}`);

const { values } = parseArgs({
  options: {
    agents: { type: 'string' },
    bundles: { type: 'string', default: '2' },
    'idle-seconds': { type: 'string', default: '60' },
    'ready-delay-ms': { type: 'string', default: '500' },
    'phase-timeout-seconds': { type: 'string', default: '900' },
    output: { type: 'string' },
    help: { type: 'boolean' },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
function positive(value: string | undefined, name: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) {
    console.error(`bench: --${name} must be a positive integer, got "${value}"\n${USAGE}`);
    process.exit(2);
  }
  return parsed;
}
const agentCount = positive(values.agents, 'agents');
const bundleCount = positive(values.bundles, 'bundles');
const idleSeconds = positive(values['idle-seconds'], 'idle-seconds');
const readyDelayMs = Number(values['ready-delay-ms']);
const phaseTimeoutMs = positive(values['phase-timeout-seconds'], 'phase-timeout-seconds') * 1000;
const startedAt = new Date();
const resultsFile =
  values.output ??
  path.join(
    REPO_ROOT,
    'bench/results',
    `${startedAt.toISOString().slice(0, 10)}-agents-${agentCount}.json`,
  );

/** The worker settings of the push bench that matter here (bench/run.ts says why). */
const WORKER_ENV: Record<string, string> = {
  FLOTILLA_WORKER_CONCURRENCY: '64',
  FLOTILLA_TICK_SECONDS: '1',
  FLOTILLA_SWEEP_INTERVAL_SECONDS: '15',
  FLOTILLA_REQUEUE_AFTER_SECONDS: '600',
  NODE_OPTIONS: '--max-old-space-size=512',
};

interface AgentHost {
  pid: number;
  start: (tokens: string[]) => Promise<void>;
  counters: () => Promise<Extract<AgentHostMessage, { type: 'counters' }>>;
  stop: () => Promise<void>;
}

async function startAgentHost(url: string): Promise<AgentHost> {
  const pki = testPki();
  const child: ChildProcess = fork(
    path.join(path.dirname(fileURLToPath(import.meta.url)), 'agent-host.ts'),
    [
      '--clusters',
      String(agentCount),
      '--tls-cert',
      pki.serverCertFile,
      '--tls-key',
      pki.serverKeyFile,
      '--tls-ca',
      pki.caCertFile,
      '--ready-delay-ms',
      String(readyDelayMs),
      '--url',
      url,
    ],
    {
      cwd: REPO_ROOT,
      execArgv: ['--import', 'tsx', '--max-old-space-size=6144'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  const waiting = new Map<number, (message: AgentHostMessage) => void>();
  let nextId = 1;
  const ready = new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the agent host exited (${code})`)));
    child.on('message', (message: AgentHostMessage) => {
      if (message.type === 'ready') resolve();
      else waiting.get(message.id)?.(message);
    });
  });
  const ask = (request: Omit<AgentHostRequest, 'id'>) =>
    new Promise<AgentHostMessage>((resolve) => {
      const id = nextId++;
      waiting.set(id, (message) => {
        waiting.delete(id);
        resolve(message);
      });
      child.send({ ...request, id } as AgentHostRequest);
    });
  await ready;
  return {
    pid: child.pid!,
    start: async (tokens) => {
      const answer = await ask({ type: 'start', tokens } as Omit<AgentHostRequest, 'id'>);
      if (answer.type === 'failed') throw new Error(`agents did not start: ${answer.message}`);
    },
    counters: async () => {
      const answer = await ask({ type: 'counters' } as Omit<AgentHostRequest, 'id'>);
      if (answer.type !== 'counters') throw new Error(`unexpected answer ${answer.type}`);
      return answer;
    },
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send({ type: 'stop' } satisfies AgentHostRequest);
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function json<T>(response: Response): Promise<T> {
  const text = await response.text();
  if (!response.ok) throw new Error(`${response.status} ${response.url}: ${text.slice(0, 500)}`);
  return JSON.parse(text) as T;
}

async function waitUntil(
  what: string,
  probe: () => Promise<{ isDone: boolean; status: string }>,
): Promise<number> {
  const started = performance.now();
  let lastSaid = started;
  for (;;) {
    const { isDone, status } = await probe();
    const now = performance.now();
    if (isDone) return Math.round(now - started) / 1000;
    if (now - started > phaseTimeoutMs)
      throw new Error(`${what}: not done after ${phaseTimeoutMs / 1000} s (${status})`);
    if (now - lastSaid >= 5000) {
      say(`  ${what}: ${status} (${Math.round((now - started) / 1000)} s)`);
      lastSaid = now;
    }
    await sleep(250);
  }
}

/** P1 of the newest recorded push run at this many clusters, for comparison. */
function pushP1(): { file: string; seconds: number } | undefined {
  const dir = path.join(REPO_ROOT, 'bench/results');
  const files = readdirSync(dir)
    .filter((name) => name.endsWith(`-${agentCount}x50.json`) || name.includes(`-${agentCount}x`))
    .filter((name) => !name.includes('dashboard') && !name.includes('hanging'))
    .sort()
    .reverse();
  for (const name of files) {
    const results = JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as {
      phases?: { name: string; details?: { observedSeconds?: number } }[];
    };
    const p1 = results.phases?.find((phase) => phase.name === 'P1 one bundle');
    if (p1?.details?.observedSeconds !== undefined)
      return { file: name, seconds: Math.round(p1.details.observedSeconds * 10) / 10 };
  }
  return undefined;
}

const results: BenchResults & { agents: Record<string, unknown> } = {
  startedAt: startedAt.toISOString(),
  command: `npm run bench -- ${process.argv.slice(2).join(' ')}`,
  clusters: agentCount,
  bundles: bundleCount,
  readyDelayMs,
  machine: {
    cores: cpus().length,
    memoryBytes: totalmem(),
    node: process.version,
    loadAtStart: machineLoadMeter().sample(),
  },
  workerEnv: WORKER_ENV,
  figures: [],
  phases: [],
  errors: [],
  agents: {},
};

let platform: BenchPlatform | undefined;
let host: AgentHost | undefined;
let repo: BenchRepo | undefined;
const stopEverything = async () => {
  await host?.stop();
  await platform?.stop();
  await repo?.remove();
};
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => void stopEverything().then(() => process.exit(130)));

try {
  say('starting web, worker, a fresh database and a Redis of our own');
  platform = await startBenchPlatform({
    webDistDir: process.env.FLOTILLA_WEB_DIST_DIR || '.next-bench',
    workerEnv: WORKER_ENV,
  });
  const running = platform;
  const fleetDb = new FleetDb(running.database.db);
  say(`starting ${agentCount} simulated clusters with an agent each (their own process)`);
  host = await startAgentHost(running.url);
  const agentHost = host;
  const cpu = new CpuMeter({
    web: () => running.webPids(),
    worker: () => running.workerPids(),
    postgres: () => fleetDb.backendPids(),
    redis: () => running.redisPids(),
    agents: () => [agentHost.pid],
  });

  say(`registering ${agentCount} agent clusters`);
  const limit = pLimit(8);
  const tokens = await Promise.all(
    Array.from({ length: agentCount }, (_, index) =>
      limit(async () => {
        const created = await json<{ registration: { token: string } }>(
          await running.api('/api/v1/clusters', {
            json: {
              connectionKind: 'agent',
              name: `agent-${String(index + 1).padStart(4, '0')}`,
              labels: { bench: 'yes', shard: String(index % 10) },
            },
          }),
        );
        return created.registration.token;
      }),
    ),
  );
  await host.start(tokens);
  const onlineSeconds = await waitUntil('agent clusters Online', async () => {
    const online = await fleetDb.onlineClusters();
    return { isDone: online >= agentCount, status: `${online}/${agentCount} Online` };
  });
  say(`all ${agentCount} agents registered and Online (${onlineSeconds} s after they started)`);

  repo = await createBenchRepo(bundleCount);
  const everything = agentCount * bundleCount;
  const firstCommit = await repo.head();
  const created = await json<{ id: string }>(
    await running.api('/api/v1/gitrepos', {
      json: {
        name: 'bench',
        url: repo.url,
        paths: ['bundles'],
        targets: [{ clusterSelector: 'bench=yes' }],
        pollIntervalSeconds: 3600,
      },
    }),
  );
  const fanOutSeconds = await waitUntil('first deploy through the agents', async () => {
    const progress = await fleetDb.progress(firstCommit);
    return {
      isDone: progress.total === everything && progress.ready === everything,
      status: `${progress.applied}/${everything} applied, ${progress.ready} Ready`,
    };
  });
  say(`initial fan-out: ${everything} deployments Ready in ${fanOutSeconds} s`);

  // Idle: every agent holds its deployments; nothing changes for idleSeconds.
  await sleep(5000);
  await cpu.sample();
  const before = await host.counters();
  const idleStarted = performance.now();
  await sleep(idleSeconds * 1000);
  const spent = await cpu.sample();
  const after = await host.counters();
  const idleWall = (performance.now() - idleStarted) / 1000;
  const requests = after.flotilla.total - before.flotilla.total;
  const byRoute = Object.fromEntries(
    Object.entries(after.flotilla.byRoute).map(([route, value]) => [
      route,
      value - (before.flotilla.byRoute[route] ?? 0),
    ]),
  );
  const share = (seconds: number | undefined) =>
    Math.round(((seconds ?? 0) / idleWall) * 1000) / 10;
  const idle = {
    seconds: Math.round(idleWall * 10) / 10,
    requestsPerSecond: Math.round((requests / idleWall) * 10) / 10,
    requestsByRoute: byRoute,
    notModified: after.flotilla.notModified - before.flotilla.notModified,
    failedRequests: after.flotilla.failed - before.flotilla.failed,
    webCorePercent: share(spent.web),
    postgresCorePercent: share(spent.postgres),
    workerCorePercent: share(spent.worker),
    agentsCorePercent: share(spent.agents),
    clusterWrites: after.clusterWrites - before.clusterWrites,
    cpuSeconds: spent,
  };
  say(
    `idle ${idle.seconds} s: ${idle.requestsPerSecond} requests/s to the web server ` +
      `(${JSON.stringify(byRoute)}), web ${idle.webCorePercent} % of a core, ` +
      `Postgres ${idle.postgresCorePercent} %, cluster writes ${idle.clusterWrites}`,
  );

  // One commit of one bundle, to every agent cluster.
  const bundles = await fleetDb.bundles();
  const first = bundles.find((row) => row.path === 'bundles/b01');
  if (!first) throw new Error('no bundle b01');
  await cpu.sample();
  const started = Date.now();
  const commit = await repo.changeBundles('v2', [0]);
  const sync = await running.api(`/api/v1/gitrepos/${created.id}/sync`, { method: 'POST' });
  if (sync.status !== 202) throw new Error(`sync: ${sync.status} ${await sync.text()}`);
  const oneCommitSeconds = await waitUntil('one commit Ready on every agent cluster', async () => {
    const progress = await fleetDb.progress(commit, first.id);
    return {
      isDone: progress.ready >= agentCount,
      status: `${progress.applied}/${agentCount} applied, ${progress.ready} Ready`,
    };
  });
  const commitCpu = await cpu.sample();
  const push = pushP1();
  results.agents = {
    onlineSeconds,
    fanOut: { deployments: everything, allReadySeconds: fanOutSeconds },
    idle,
    oneCommit: {
      allReadySeconds: oneCommitSeconds,
      sinceCommitSeconds: Math.round((Date.now() - started) / 100) / 10,
      cpuSeconds: commitCpu,
      pushP1: push ?? null,
    },
  };
  say(
    `one commit: Ready on all ${agentCount} agent clusters in ${oneCommitSeconds} s` +
      (push ? ` (push path P1 at ${agentCount} clusters: ${push.seconds} s, ${push.file})` : ''),
  );
  results.finishedAt = new Date().toISOString();
  saveResults(resultsFile, results, { isFinal: true });
  say(`results: ${path.relative(REPO_ROOT, resultsFile)}`);
} catch (error) {
  results.errors.push(String(error));
  saveResults(resultsFile, results, { isFinal: true });
  console.error(`bench agents | ${String(error)}`);
  if (platform) console.error(`web log tail:\n${platform.webLog().slice(-3000)}`);
  process.exitCode = 1;
} finally {
  await stopEverything();
}
