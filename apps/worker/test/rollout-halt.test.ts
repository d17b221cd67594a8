import { readFileSync } from 'node:fs';
import { startKubeSim, type KubeSim } from '@flotilla/kube-sim';
import {
  createBareRepo,
  startPlatform,
  testPki,
  type BareRepo,
  type Platform,
} from '@flotilla/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { json } from './clusters-api.ts';

/*
 * A progressive rollout that halts: 20 simulated clusters in 4 partitions of 5 (by a `wave`
 * label), one cluster of a partition released at a time (maxUnavailable 1). The second commit
 * adds, for wave 2 only, an object the API server rejects: wave 1 gets the commit, the first
 * wave-2 cluster fails, the rollout says it halted there, and waves 3 and 4 see no write until
 * an operator promotes the rollout through the API.
 */

const CLUSTERS = 20;
const WAVES = 4;
const clusterName = (index: number) => `wave-sim-${String(index + 1).padStart(2, '0')}`;
const waveOf = (index: number) => Math.floor(index / 5) + 1;

const configMap = (version: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings }\ndata: { version: "${version}" }\n`;
const fleetYaml = (withWave2Overlay: boolean) =>
  [
    'defaultNamespace: rollout-app',
    'rolloutStrategy:',
    '  maxUnavailablePartitions: 0',
    '  partitions:',
    ...Array.from({ length: WAVES }, (_, index) => [
      `    - name: wave-${index + 1}`,
      '      maxUnavailable: 1',
      `      clusterSelector: { matchLabels: { wave: "${index + 1}" } }`,
    ]).flat(),
    ...(withWave2Overlay
      ? [
          'targetCustomizations:',
          '  - name: wave-2',
          '    clusterSelector: { matchLabels: { wave: "2" } }',
          '    yaml: { overlays: [wave2] }',
        ]
      : []),
  ].join('\n') + '\n';
/** A label value the API server refuses (spaces and "!"): the apply of wave 2 fails. */
const REJECTED = [
  'apiVersion: v1',
  'kind: ConfigMap',
  'metadata:',
  '  name: wave2-extra',
  '  labels: { tier: "not a valid value!" }',
  'data: { extra: "yes" }',
].join('\n');

interface ApiDeployment {
  clusterName: string;
  state: string;
  message: string;
  appliedCommit: string | null;
}
interface RolloutDto {
  commit: string | null;
  partitions: {
    name: string;
    clusters: number;
    upToDate: number;
    ready: number;
    failing: number;
    waiting: number;
    isWaiting: boolean;
    isPromoted: boolean;
  }[];
  halted: {
    partition: number;
    of: number;
    name: string;
    failing: { clusterName: string; message: string }[];
  } | null;
  promotedPartitions: number;
}

describe('rollout halt: failures in a partition hold the later ones until promoted', () => {
  let sim: KubeSim;
  let platform: Platform;
  let repo: BareRepo;
  let gitRepoId: string;
  let bundleId: string;
  let firstCommit: string;

  const names = (waves: number[]) =>
    Array.from({ length: CLUSTERS }, (_, index) => index)
      .filter((index) => waves.includes(waveOf(index)))
      .map(clusterName);
  const deployments = async () =>
    (
      await json<{ items: ApiDeployment[] }>(
        await platform.api(`/api/v1/bundles/${bundleId}/deployments`),
      )
    ).items;
  const byCluster = async () =>
    new Map((await deployments()).map((deployment) => [deployment.clusterName, deployment]));
  const rollout = async () =>
    (await json<{ rollout: RolloutDto | null }>(await platform.api(`/api/v1/bundles/${bundleId}`)))
      .rollout;
  const mutatingWrites = (clusters: string[]) =>
    new Map(
      sim.clusters
        .filter((cluster) => clusters.includes(cluster.name))
        .map((cluster) => [cluster.name, cluster.counters.mutating]),
    );
  /** Plan passes the worker finished (its debug log has one "job done" line per job). */
  const planPasses = () =>
    platform
      .workerLog()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { msg?: string; job?: string })
      .filter((entry) => entry.msg === 'job done' && entry.job === 'plan').length;
  const waitForReadyAt = (clusters: string[], commit: string, timeout = 120_000) =>
    vi.waitFor(
      async () => {
        const rows = await byCluster();
        const behind = clusters.filter((name) => {
          const row = rows.get(name);
          return row?.state !== 'Ready' || row.appliedCommit !== commit;
        });
        if (behind.length > 0)
          throw new Error(
            `not Ready at ${commit.slice(0, 7)}: ${behind
              .map((name) => `${name} ${rows.get(name)?.state} ${rows.get(name)?.message}`)
              .join('; ')}`,
          );
      },
      { timeout, interval: 500 },
    );

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
      }),
      startPlatform({
        env: {
          FLOTILLA_LOG_LEVEL: 'debug',
          FLOTILLA_LOG_FORMAT: 'json',
          FLOTILLA_TICK_SECONDS: '1',
          FLOTILLA_SWEEP_INTERVAL_SECONDS: '2',
          FLOTILLA_MONITOR_INTERVAL_SECONDS: '2',
          FLOTILLA_PROBE_INTERVAL_SECONDS: '2',
        },
      }),
      createBareRepo({ 'app/fleet.yaml': fleetYaml(false), 'app/config.yaml': configMap('v1') }),
    ]);
    for (const [index, cluster] of sim.clusters.entries()) {
      await json(
        await platform.api('/api/v1/clusters', {
          json: {
            name: cluster.name,
            labels: { fleet: 'rollout', wave: String(waveOf(index)) },
            apiServerUrl: cluster.url,
            caData: cluster.caData,
            token: cluster.token,
          },
        }),
      );
    }
    firstCommit = await repo.head();
    gitRepoId = (
      await json<{ id: string }>(
        await platform.api('/api/v1/gitrepos', {
          json: {
            name: 'waves',
            url: repo.url,
            targets: [{ clusterSelector: 'fleet=rollout' }],
            pollIntervalSeconds: 3600,
          },
        }),
      )
    ).id;
    bundleId = await vi.waitFor(
      async () =>
        (
          await platform.database.db.bundle.findFirstOrThrow({
            where: { gitRepoId, path: 'app' },
          })
        ).id,
      { timeout: 60_000, interval: 250 },
    );
  }, 180_000);

  afterAll(async () => {
    if (process.env.FLOTILLA_TEST_DEBUG)
      console.log(`WORKER\n${platform?.workerLog().slice(-12000)}`);
    await platform?.stop();
    await sim?.stop();
    await repo?.remove();
  });

  it('halts at partition 2 of 4, keeps waves 3 and 4 untouched across plan passes, then promotes', async () => {
    // The first commit goes everywhere: new clusters are released at once.
    await waitForReadyAt(names([1, 2, 3, 4]), firstCommit);
    await vi.waitFor(
      async () => {
        const status = await rollout();
        expect(status?.commit).toBe(firstCommit);
        expect(status?.halted).toBeNull();
        expect(status?.partitions.map((partition) => [partition.name, partition.upToDate])).toEqual(
          [1, 2, 3, 4].map((wave) => [`wave-${wave}`, 5]),
        );
      },
      { timeout: 30_000, interval: 500 },
    );
    const before = mutatingWrites(names([3, 4]));

    const second = await repo.commit(
      {
        'app/fleet.yaml': fleetYaml(true),
        'app/config.yaml': configMap('v2'),
        'app/overlays/wave2/extra.yaml': REJECTED,
      },
      { message: 'v2: an object wave 2 rejects' },
    );
    await platform.api(`/api/v1/gitrepos/${gitRepoId}/sync`, { method: 'POST' });

    // Wave 1 gets the commit one cluster at a time; then the first cluster of wave 2 is
    // released, fails on apply, and that uses up wave 2's budget: the rollout halts there.
    await waitForReadyAt(names([1]), second);
    const halted = await vi.waitFor(
      async () => {
        const status = await rollout();
        if (!status?.halted || status.commit !== second || status.halted.failing.length < 1)
          throw new Error(`not halted on wave 2 yet: ${JSON.stringify(status)}`);
        return status;
      },
      { timeout: 120_000, interval: 500 },
    );
    expect(halted.halted).toMatchObject({ partition: 2, of: 4, name: 'wave-2' });
    expect(halted.halted?.failing).toHaveLength(1);
    const failedFirst = halted.halted!.failing[0]!.clusterName;
    expect(names([2])).toContain(failedFirst);
    expect(halted.halted?.failing[0]?.message).toContain('not a valid value!');
    expect(halted.partitions.map((partition) => [partition.name, partition.isWaiting])).toEqual([
      ['wave-1', false],
      ['wave-2', false],
      ['wave-3', true],
      ['wave-4', true],
    ]);
    expect(halted.partitions[0]).toMatchObject({ clusters: 5, upToDate: 5, ready: 5, failing: 0 });
    expect(halted.partitions[1]).toMatchObject({ clusters: 5, upToDate: 0, failing: 1 });
    expect(halted.partitions[2]).toMatchObject({ clusters: 5, upToDate: 0, waiting: 5 });

    // The bad commit reached one cluster of wave 2; the four others still run the first one.
    const rows = await byCluster();
    expect(rows.get(failedFirst)?.state).toMatch(/^(ErrApplied|WaitApplied)$/);
    for (const name of names([2]).filter((name) => name !== failedFirst)) {
      expect(rows.get(name)?.state, name).toBe('OutOfSync');
      expect(rows.get(name)?.appliedCommit, name).toBe(firstCommit);
    }
    expect(rows.get(failedFirst)?.appliedCommit).toBe(firstCommit);
    // One event when it halted (with as many clusters as had failed by then).
    const events = await platform.database.db.event.findMany({
      where: { bundleId, type: 'RolloutHalted' },
    });
    expect(events.map((event) => event.message)).toHaveLength(1);
    expect(events[0]?.message).toBe('Halted: partition 2 of 4, 1 cluster failing');

    // Several plan passes later, waves 3 and 4 still run the first commit and had no write.
    for (let pass = 0; pass < 3; pass += 1) {
      const passes = planPasses();
      await json(
        await platform.api(`/api/v1/bundles/${bundleId}/pause`, {
          method: 'PUT',
          json: { isPaused: false },
        }),
      );
      await vi.waitFor(() => expect(planPasses()).toBeGreaterThan(passes), {
        timeout: 30_000,
        interval: 200,
      });
    }
    const held = await byCluster();
    for (const name of names([3, 4])) {
      expect(held.get(name)?.appliedCommit, name).toBe(firstCommit);
      expect(held.get(name)?.state, name).toBe('OutOfSync');
    }
    for (const name of names([2])) expect(held.get(name)?.appliedCommit).toBe(firstCommit);
    expect(mutatingWrites(names([3, 4]))).toEqual(before);
    expect((await rollout())?.halted).toMatchObject({ partition: 2, of: 4 });

    // Retry queues the failing clusters' deploys again: they fail again, still halted, audited.
    const retried = await platform.api(`/api/v1/bundles/${bundleId}/rollout/retry`, {
      method: 'POST',
    });
    expect(retried.status).toBe(200);
    expect(
      await platform.database.db.auditEntry.count({
        where: { action: 'bundle.rollout-retry', objectId: bundleId },
      }),
    ).toBe(1);
    expect((await rollout())?.halted).toMatchObject({ partition: 2, of: 4 });
    expect(mutatingWrites(names([3, 4]))).toEqual(before);

    // Promote: wave 2's failures no longer hold the rollout; the rest of wave 2 gets the commit
    // (and fails on it), then waves 3 and 4 get it.
    const promoted = await json<{ rollout: RolloutDto }>(
      await platform.api(`/api/v1/bundles/${bundleId}/rollout/promote`, { method: 'POST' }),
    );
    expect(promoted.rollout.promotedPartitions).toBe(2);
    await waitForReadyAt(names([3, 4]), second, 180_000);
    await vi.waitFor(
      async () => {
        const rowsNow = await byCluster();
        for (const name of names([2])) {
          expect(rowsNow.get(name)?.state, name).toMatch(/^(ErrApplied|WaitApplied)$/);
          expect(rowsNow.get(name)?.appliedCommit, name).toBe(firstCommit);
        }
        const status = await rollout();
        expect(status?.halted).toBeNull();
        expect(status?.partitions[1]).toMatchObject({ isPromoted: true, failing: 5 });
      },
      { timeout: 60_000, interval: 500 },
    );
    expect(
      await platform.database.db.auditEntry.count({
        where: { action: 'bundle.rollout-promote', objectId: bundleId },
      }),
    ).toBe(1);
    // Promoting again is refused: the rollout is no longer halted.
    const again = await platform.api(`/api/v1/bundles/${bundleId}/rollout/promote`, {
      method: 'POST',
    });
    expect(again.status).toBe(409);

    // A new commit starts a rollout of its own, which halts at wave 2 again.
    const third = await repo.commit(
      { 'app/config.yaml': configMap('v3') },
      { message: 'v3: still rejected by wave 2' },
    );
    await platform.api(`/api/v1/gitrepos/${gitRepoId}/sync`, { method: 'POST' });
    await waitForReadyAt(names([1]), third);
    await vi.waitFor(
      async () => {
        const status = await rollout();
        expect(status?.commit).toBe(third);
        expect(status?.halted).toMatchObject({ partition: 2, of: 4 });
        expect(status?.promotedPartitions).toBe(0);
      },
      { timeout: 120_000, interval: 500 },
    );
    const afterThird = await byCluster();
    for (const name of names([3, 4])) expect(afterThird.get(name)?.appliedCommit).toBe(second);

    // Roll back: pinned to the first commit, waves 1 and 2 run its objects again (wave 1 had
    // the third commit, wave 2 never lost the first) and so do waves 3 and 4.
    const pinned = await platform.api(`/api/v1/bundles/${bundleId}/pin`, {
      method: 'PUT',
      json: { commit: firstCommit },
    });
    expect(pinned.status).toBe(200);
    await waitForReadyAt(names([1, 2, 3, 4]), firstCommit, 180_000);
    const settingsOn = (clusterName: string) =>
      sim.clusters
        .find((cluster) => cluster.name === clusterName)!
        .objects()
        .filter((object) => object.kind === 'ConfigMap')
        .map((object) => ({
          name: (object.metadata as { name: string }).name,
          data: object.data as Record<string, string>,
        }));
    for (const name of names([1, 2, 3, 4])) {
      const configMaps = settingsOn(name);
      expect(configMaps.map((configMap) => configMap.name).sort(), name).not.toContain(
        'wave2-extra',
      );
      expect(configMaps.find((configMap) => configMap.name === 'settings')?.data, name).toEqual({
        version: 'v1',
      });
    }
    expect((await rollout())?.halted).toBeNull();
  }, 600_000);
});
