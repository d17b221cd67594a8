import { readFileSync } from 'node:fs';
import { startKubeSim, type KubeSim } from '@flotilla/kube-sim';
import {
  createBareRepo,
  startPlatform,
  testPki,
  type BareRepo,
  type Platform,
} from '@flotilla/testkit';
import pLimit from 'p-limit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { json } from './clusters-api.ts';

/*
 * A blackholed API server (accepts the connection, never answers) must cost the fleet little:
 * 200 simulated clusters, 10 of them hanging, 2 bundles each. Before the per-cluster circuit
 * breaker and the fair share of deploy slots, the hanging clusters' deploy jobs held every
 * slot for 30 s per request (and queued behind each other on the cluster's own bound), so the
 * 190 healthy clusters waited minutes. The waits below are bounds, not timings: they only fail
 * when the fleet does not get there at all in that time.
 */

const CLUSTERS = 200;
const BUNDLES = 2;
/** Every 20th cluster hangs: spread through the queue as they would be in a real fleet. */
const isHanging = (index: number) => index % 20 === 7;
const clusterName = (index: number) => `sim-${String(index + 1).padStart(3, '0')}`;
/*
 * Generous for a loaded 2-core machine (about 10 deployments/s there with no cluster hanging);
 * before the fix the hanging clusters' jobs held every slot for minutes.
 */
const CONVERGE_BOUND_MS = 120_000;

function bundleFiles(version: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (let index = 0; index < BUNDLES; index += 1) {
    const name = `b${index + 1}`;
    files[`bundles/${name}/flotilla.yaml`] = `defaultNamespace: slow-${name}\n`;
    files[`bundles/${name}/configmap.yaml`] = [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata: { name: settings }',
      `data: { version: "${version}" }`,
    ].join('\n');
    files[`bundles/${name}/deployment.yaml`] = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: { name: app }',
      'spec:',
      '  replicas: 1',
      `  selector: { matchLabels: { app: ${name} } }`,
      '  template:',
      `    metadata: { labels: { app: ${name} }, annotations: { version: "${version}" } }`,
      '    spec: { containers: [{ name: app, image: "nginx:1.25" }] }',
    ].join('\n');
  }
  return files;
}

function describeStates(rows: readonly { state: string }[]): string {
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(row.state, (counts.get(row.state) ?? 0) + 1);
  return [...counts].map(([state, count]) => `${count} ${state}`).join(', ');
}

describe('one slow cluster does not starve the fleet', () => {
  let sim: KubeSim;
  let platform: Platform;
  let repo: BareRepo;

  beforeAll(async () => {
    const pki = testPki();
    [sim, platform, repo] = await Promise.all([
      startKubeSim({
        clusters: Array.from({ length: CLUSTERS }, (_, index) => ({ name: clusterName(index) })),
        tls: {
          cert: readFileSync(pki.serverCertFile),
          key: readFileSync(pki.serverKeyFile),
          ca: readFileSync(pki.caCertFile),
        },
        deploymentReadyDelayMs: 200,
      }),
      startPlatform({
        env: {
          // Fewer deploy slots than hanging clusters' jobs: without a bound per cluster, the
          // hanging ones can hold all of them.
          FLOTILLA_WORKER_CONCURRENCY: '8',
          // One request at a time per cluster (as the bench runs): a hanging cluster's requests
          // queue behind each other.
          FLOTILLA_CLUSTER_CONCURRENCY: '1',
          FLOTILLA_CLUSTER_REQUEST_TIMEOUT_SECONDS: '5',
          FLOTILLA_BREAKER_FAILURES: '3',
          FLOTILLA_TICK_SECONDS: '1',
          FLOTILLA_SWEEP_INTERVAL_SECONDS: '5',
          FLOTILLA_MONITOR_INTERVAL_SECONDS: '60',
        },
      }),
      createBareRepo(bundleFiles('v1')),
    ]);
    const limit = pLimit(8);
    await Promise.all(
      sim.clusters.map((cluster) =>
        limit(() =>
          platform
            .api('/api/v1/clusters', {
              json: {
                name: cluster.name,
                labels: { fleet: 'slow-test' },
                apiServerUrl: cluster.url,
                caData: cluster.caData,
                token: cluster.token,
              },
            })
            .then(json),
        ),
      ),
    );
    await vi.waitFor(
      async () => {
        const online = await platform.database.db.cluster.count({
          where: { connectivity: 'Online' },
        });
        if (online < CLUSTERS) throw new Error(`${online}/${CLUSTERS} clusters Online`);
      },
      { timeout: 90_000, interval: 500 },
    );
  }, 180_000);

  afterAll(async () => {
    if (process.env.FLOTILLA_TEST_DEBUG)
      console.log(`WORKER\n${platform?.workerLog().slice(-12000)}`);
    await platform?.stop();
    await sim?.stop();
    await repo?.remove();
  });

  it('brings the 190 answering clusters to Ready and shows the 10 hanging ones Offline', async () => {
    const hanging = sim.clusters.filter((_, index) => isHanging(index));
    expect(hanging).toHaveLength(10);
    await Promise.all(hanging.map((cluster) => cluster.setFault({ hang: true })));
    const commit = await repo.head();

    const created = await json<{ id: string }>(
      await platform.api('/api/v1/gitrepos', {
        json: {
          name: 'slow-fleet',
          url: repo.url,
          paths: ['bundles'],
          targets: [{ clusterSelector: 'fleet=slow-test' }],
          pollIntervalSeconds: 3600,
        },
      }),
    );
    expect(created.id).toBeTruthy();

    const hangingNames = new Set(hanging.map((cluster) => cluster.name));
    const states = async () =>
      platform.database.db.bundleDeployment.findMany({
        select: {
          state: true,
          appliedCommit: true,
          message: true,
          cluster: { select: { name: true } },
        },
      });
    const final = await vi.waitFor(
      async () => {
        const rows = await states();
        const healthy = rows.filter((row) => !hangingNames.has(row.cluster.name));
        const slow = rows.filter((row) => hangingNames.has(row.cluster.name));
        const ready = healthy.filter(
          (row) => row.state === 'Ready' && row.appliedCommit === commit,
        );
        const offline = slow.filter((row) => row.state === 'Offline');
        if (
          ready.length < (CLUSTERS - hanging.length) * BUNDLES ||
          offline.length < hanging.length * BUNDLES
        )
          throw new Error(
            `${ready.length}/${(CLUSTERS - hanging.length) * BUNDLES} Ready on the answering clusters ` +
              `(${describeStates(healthy)}), ${offline.length}/${hanging.length * BUNDLES} Offline on the hanging ones`,
          );
        return { healthy, slow };
      },
      { timeout: CONVERGE_BOUND_MS, interval: 1000 },
    );
    expect(final.healthy.every((row) => row.state === 'Ready')).toBe(true);
    // Offline says why: the cluster did not answer, not that an object was refused.
    for (const row of final.slow) {
      expect(row.message).toMatch(/unreachable/);
      expect(row.message).toMatch(/no answer from the API server/);
    }

    const clusters = await platform.database.db.cluster.findMany({
      select: { name: true, connectivity: true },
    });
    for (const cluster of clusters)
      expect(cluster.connectivity, cluster.name).toBe(
        hangingNames.has(cluster.name) ? 'Offline' : 'Online',
      );
    // The healthy clusters got the objects themselves (what kubectl would show).
    const answering = sim.clusters.find((cluster) => !hangingNames.has(cluster.name))!;
    const namespaces = answering.objects().flatMap((object) => {
      const metadata = object.metadata as { name?: string; namespace?: string } | undefined;
      return object.kind === 'ConfigMap' && metadata?.name === 'settings'
        ? [metadata.namespace]
        : [];
    });
    expect(namespaces.sort()).toEqual(['slow-b1', 'slow-b2']);
  }, 180_000);
});
