import { randomBytes } from 'node:crypto';
import * as k8s from '@kubernetes/client-node';
import {
  createBareRepo,
  freePort,
  kubeConfigFor,
  startPlatform,
  startTestClusters,
  type BareRepo,
  type Platform,
  type TestClusters,
} from '@flotilla/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { json, registerCluster, waitForConnectivity } from './clusters-api.ts';

interface LogLine {
  msg: string;
  job?: string;
  correlationId?: string;
  repo?: string;
  outcome?: string;
}

/** `name{labels} value` lines of the Prometheus text format, as { name, labels, value }. */
function parseMetrics(text: string) {
  return text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`not a metric line: ${line}`);
      const labels = Object.fromEntries(
        [...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((pair) => [pair[1]!, pair[2]!]),
      );
      return { name: match[1]!, labels, value: Number(match[3]) };
    });
}

type Sample = ReturnType<typeof parseMetrics>[number];

function valueOf(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  const found = samples.filter(
    (sample) =>
      sample.name === name &&
      Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
  );
  if (found.length === 0) throw new Error(`no ${name} ${JSON.stringify(labels)} in the scrape`);
  return found.reduce((sum, sample) => sum + sample.value, 0);
}

describe('observability: the worker /metrics and correlated logs', () => {
  let envtest: TestClusters;
  let platform: Platform;
  let repo: BareRepo;
  let metricsPort: number;
  const metricsToken = randomBytes(16).toString('hex');

  const scrape = async (token: string | null = metricsToken) => {
    const response = await fetch(`http://127.0.0.1:${metricsPort}/metrics`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    return { status: response.status, text: await response.text(), response };
  };
  const samples = async () => parseMetrics((await scrape()).text);
  const logLines = (): LogLine[] =>
    platform
      .workerLog()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as LogLine);

  beforeAll(async () => {
    metricsPort = await freePort();
    [envtest, platform, repo] = await Promise.all([
      startTestClusters(1, { names: ['obs'] }),
      startPlatform({
        env: {
          FLOTILLA_WORKER_METRICS_PORT: String(metricsPort),
          FLOTILLA_WORKER_METRICS_HOST: '127.0.0.1',
          FLOTILLA_METRICS_TOKEN: metricsToken,
          FLOTILLA_LOG_FORMAT: 'json',
          FLOTILLA_LOG_LEVEL: 'debug',
          FLOTILLA_MONITOR_INTERVAL_SECONDS: '2',
          FLOTILLA_PROBE_INTERVAL_SECONDS: '2',
          FLOTILLA_TICK_SECONDS: '1',
          FLOTILLA_SWEEP_INTERVAL_SECONDS: '2',
        },
      }),
      createBareRepo({
        'app/config.yaml':
          'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings, namespace: default }\ndata: { colour: blue }\n',
      }),
    ]);
  });

  afterAll(async () => {
    if (process.env.FLOTILLA_TEST_DEBUG) console.log(platform?.workerLog().slice(-12000));
    await platform?.stop();
    await envtest?.stopAll();
    await repo?.remove();
  });

  it('refuses a scrape without FLOTILLA_METRICS_TOKEN when one is set', async () => {
    expect((await scrape(null)).status).toBe(401);
    expect((await scrape('wrong-token-wrong-token')).status).toBe(401);
    const { status, response } = await scrape();
    expect(status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain; version=0.0.4');
  });

  it('counts a deploy, a render, the deployments by state and the clusters by connectivity', async () => {
    const cluster = await registerCluster(platform, envtest.clusters[0]!, { env: 'obs' });
    await waitForConnectivity(platform, cluster.id, 'Online');
    await json(
      await platform.api('/api/v1/gitrepos', {
        json: { name: 'obs', url: repo.url, paths: ['app'], targets: [{ clusterName: 'obs' }] },
      }),
    );
    const db = platform.database.db;
    await vi.waitFor(
      async () => {
        const states = await db.bundleDeployment.findMany({ select: { state: true } });
        expect(states.map(({ state }) => state)).toEqual(['Ready']);
      },
      { timeout: 90_000, interval: 300 },
    );

    // The state is written inside the deploy job; its duration is observed as the job returns.
    const scraped = await vi.waitFor(
      async () => {
        const current = await samples();
        expect(
          valueOf(current, 'flotilla_deploy_duration_seconds_count', { outcome: 'applied' }),
        ).toBeGreaterThanOrEqual(1);
        return current;
      },
      { timeout: 30_000, interval: 200 },
    );
    expect(valueOf(scraped, 'flotilla_render_duration_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(valueOf(scraped, 'flotilla_deploy_duration_seconds_sum')).toBeGreaterThan(0);
    // The gauges are the rows, read when scraped.
    const rows = await db.bundleDeployment.groupBy({ by: ['state'], _count: { _all: true } });
    for (const state of ['Ready', 'NotReady', 'Pending', 'ErrApplied', 'Offline']) {
      const count = rows.find((row) => row.state === state)?._count._all ?? 0;
      expect(valueOf(scraped, 'flotilla_deployments', { state }), state).toBe(count);
    }
    expect(valueOf(scraped, 'flotilla_clusters', { connectivity: 'Online' })).toBe(1);
    expect(valueOf(scraped, 'flotilla_clusters', { connectivity: 'Offline' })).toBe(0);
    // Every queue reports its depth and the age of its oldest waiting job.
    for (const queue of ['git-sync', 'render', 'plan', 'deploy', 'monitor', 'probe', 'tick']) {
      expect(
        valueOf(scraped, 'flotilla_queue_jobs', { queue, state: 'waiting' }),
      ).toBeGreaterThanOrEqual(0);
      expect(
        valueOf(scraped, 'flotilla_queue_oldest_waiting_age_seconds', { queue }),
      ).toBeGreaterThanOrEqual(0);
    }
    // The worker's cluster clients: none of their breakers opened against a healthy cluster.
    expect(valueOf(scraped, 'flotilla_circuit_breakers', { state: 'open' })).toBe(0);
    expect(valueOf(scraped, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
  });

  it('follows the commit to its cluster under one correlation id in the logs', () => {
    const lines = logLines();
    const newCommit = lines.find((line) => line.msg === 'new commit' && line.repo === 'obs');
    expect(newCommit?.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    const id = newCommit!.correlationId;
    const done = lines.filter((line) => line.msg === 'job done' && line.correlationId === id);
    expect(new Set(done.map((line) => line.job))).toEqual(
      new Set(['git-sync', 'render', 'plan', 'deploy']),
    );
    expect(done.find((line) => line.job === 'deploy')?.outcome).toBe('applied');
  });

  it('does not assess again a deployment Ready since its apply, until a hand edit changes it', async () => {
    const deployment = await platform.database.db.bundleDeployment.findFirstOrThrow({
      where: { cluster: { name: 'obs' } },
    });
    expect(deployment.state).toBe('Ready');
    const monitored = async () => {
      const current = await samples();
      return {
        settled: valueOf(current, 'flotilla_monitor_deployments_total', { outcome: 'settled' }),
        assessed: valueOf(current, 'flotilla_monitor_deployments_total', { outcome: 'assessed' }),
      };
    };
    // Monitor passes (every 2 s) find the ConfigMap as the apply answered it: Ready, nothing to
    // assess. The apply's own check is what they rely on, so none of them ever assessed it.
    const start = await vi.waitFor(
      async () => {
        const counted = await monitored();
        expect(counted.settled).toBeGreaterThanOrEqual(2);
        return counted;
      },
      { timeout: 30_000, interval: 300 },
    );
    expect(start.assessed).toBe(0);

    const core = kubeConfigFor(envtest.clusters[0]!).makeApiClient(k8s.CoreV1Api);
    await core.patchNamespacedConfigMap(
      { name: 'settings', namespace: 'default', body: { data: { colour: 'red' } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    await vi.waitFor(
      async () => {
        const row = await platform.database.db.bundleDeployment.findUniqueOrThrow({
          where: { id: deployment.id },
        });
        expect(row.state).toBe('Modified');
      },
      { timeout: 30_000, interval: 300 },
    );
    // The pass that found the edit counts it as assessed as it returns, just after its write.
    await vi.waitFor(
      async () => expect((await monitored()).assessed).toBeGreaterThan(start.assessed),
      { timeout: 10_000, interval: 200 },
    );
  });

  it('counts a Git fetch that fails', async () => {
    const before = valueOf(await samples(), 'flotilla_git_fetch_errors_total');
    await json(
      await platform.api('/api/v1/gitrepos', {
        json: { name: 'missing', url: `${repo.url}-missing`, paths: ['app'] },
      }),
    );
    await vi.waitFor(
      async () =>
        expect(valueOf(await samples(), 'flotilla_git_fetch_errors_total')).toBeGreaterThan(before),
      { timeout: 60_000, interval: 300 },
    );
  });
});
