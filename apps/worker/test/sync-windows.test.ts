import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as k8s from '@kubernetes/client-node';
import {
  createBareRepo,
  kubeConfigFor,
  startPlatform,
  startTestClusters,
  type BareRepo,
  type Platform,
  type TestCluster,
  type TestClusters,
} from '@flotilla/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { json, readObject, registerCluster, waitForConnectivity } from './clusters-api.ts';

const configMap = (mode: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings }\ndata: { mode: ${mode} }\n`;
const SETTINGS = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'windowed', name: 'settings' };

/**
 * A deny window holds a new commit and the drift correction on the prod cluster; the worker's
 * clock (FLOTILLA_CLOCK_OFFSET_FILE) is then moved past the window, and the commit goes out.
 * No sleep waits for a window: time is moved, and the scheduler's tick notices the window end.
 */
describe('sync windows: a deny window holds changes until it closes', () => {
  let envtest: TestClusters;
  let platform: Platform;
  let repo: BareRepo;
  let clockDir: string;
  let clockFile: string;
  let cluster: TestCluster;

  const deployment = () =>
    platform.database.db.bundleDeployment.findFirstOrThrow({
      where: { bundle: { path: 'app' } },
    });
  const liveMode = async () =>
    ((await readObject(cluster, SETTINGS)) as { data?: Record<string, string> }).data?.mode;

  beforeAll(async () => {
    clockDir = await mkdtemp(path.join(tmpdir(), 'flotilla-clock-'));
    clockFile = path.join(clockDir, 'offset-ms');
    await writeFile(clockFile, '0');
    envtest = await startTestClusters(1, { names: ['prod'] });
    cluster = envtest.clusters[0]!;
    platform = await startPlatform({
      env: {
        FLOTILLA_MONITOR_INTERVAL_SECONDS: '1',
        FLOTILLA_PROBE_INTERVAL_SECONDS: '1',
        FLOTILLA_TICK_SECONDS: '1',
        FLOTILLA_CLOCK_OFFSET_FILE: clockFile,
      },
    });
    repo = await createBareRepo({
      'app/fleet.yaml': 'defaultNamespace: windowed\ncorrectDrift: { enabled: true }\n',
      'app/config.yaml': configMap('v1'),
    });
    const { id } = await registerCluster(platform, cluster, { env: 'prod' });
    await waitForConnectivity(platform, id, 'Online');
    await json(
      await platform.api('/api/v1/gitrepos', {
        json: {
          name: 'windowed',
          url: repo.url,
          targets: [{ clusterSelector: { matchLabels: { env: 'prod' } } }],
        },
      }),
    );
  });

  afterAll(async () => {
    await platform?.stop();
    await envtest?.stopAll();
    await repo?.remove();
    if (clockDir) await rm(clockDir, { recursive: true, force: true });
  });

  it('shows a bad window field by name', async () => {
    const response = await platform.api('/api/v1/sync-windows', {
      json: {
        name: 'bad',
        kind: 'deny',
        schedule: '0 25 * * *',
        duration: '2 hours',
        timeZone: 'Mars/Olympus',
        targets: [{ clusterSelector: { matchLabels: { env: 'prod' } } }],
      },
    });
    expect(response.status).toBe(422);
    const problem = (await response.json()) as { errors: { path: string; message: string }[] };
    expect(problem.errors.map((error) => error.path).sort()).toEqual([
      'duration',
      'schedule',
      'timeZone',
    ]);
    expect(problem.errors.find((error) => error.path === 'timeZone')?.message).toContain(
      'Mars/Olympus',
    );
  });

  it('holds a new commit and drift correction inside the window, and applies the commit once the clock passes it', async () => {
    await vi.waitFor(
      async () => {
        expect((await deployment()).state).toBe('Ready');
        expect(await liveMode()).toBe('v1');
      },
      { timeout: 120_000, interval: 500 },
    );

    // A two-hour deny window that started a minute ago (on the worker's clock, offset 0).
    const start = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 60_000);
    const schedule = `${start.getUTCMinutes()} ${start.getUTCHours()} ${start.getUTCDate()} ${start.getUTCMonth() + 1} *`;
    const window = await json<{ id: string; isActive: boolean }>(
      await platform.api('/api/v1/sync-windows', {
        json: {
          name: 'release-freeze',
          kind: 'deny',
          schedule,
          duration: '2h',
          timeZone: 'UTC',
          targets: [{ clusterSelector: { matchLabels: { env: 'prod' } } }],
        },
      }),
    );
    expect(window.isActive).toBe(true);
    const until = new Date(start.getTime() + 2 * 3600_000).toISOString().replace('.000Z', 'Z');

    const gitRepo = await platform.database.db.gitRepo.findFirstOrThrow({
      where: { name: 'windowed' },
    });
    const v2 = await repo.commit({ 'app/config.yaml': configMap('v2') }, { message: 'v2' });
    await platform.api(`/api/v1/gitrepos/${gitRepo.id}/sync`, { method: 'POST' });
    await vi.waitFor(
      async () => {
        const row = await deployment();
        expect(row.targetCommit).toBe(v2);
        expect(row.state).toBe('Pending');
        expect(row.message).toBe(`Pending: outside sync window until ${until}`);
      },
      { timeout: 60_000, interval: 500 },
    );
    expect(await liveMode()).toBe('v1');

    // A hand edit is shown as drift but not corrected (correctDrift is on) inside the window.
    const client = kubeConfigFor(cluster).makeApiClient(k8s.CoreV1Api);
    await client.patchNamespacedConfigMap({
      name: 'settings',
      namespace: 'windowed',
      body: [{ op: 'replace', path: '/data/mode', value: 'by-hand' }],
    });
    // Behind its target, the deployment still reads as held; its resources show the drift.
    await vi.waitFor(
      async () => {
        const row = await deployment();
        expect(row.counts).toMatchObject({ modified: 1 });
        expect(row.message).toBe(`Pending: outside sync window until ${until}`);
      },
      { timeout: 60_000, interval: 500 },
    );
    const seen = (await deployment()).lastCheckedAt!;
    await vi.waitFor(
      async () =>
        expect((await deployment()).lastCheckedAt!.getTime()).toBeGreaterThan(seen.getTime()),
      { timeout: 30_000, interval: 250 },
    );
    expect(await liveMode()).toBe('by-hand');

    // "Correct drift now" is a manual sync: refused by a window without manualSync...
    const refused = await platform.api(
      `/api/v1/deployments/${(await deployment()).id}/correct-drift`,
      {
        method: 'POST',
      },
    );
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { detail: string }).detail).toContain(
      'outside sync window "release-freeze"',
    );
    // ...and let through, audited, once the window allows manual syncs.
    await json(
      await platform.api(`/api/v1/sync-windows/${window.id}`, {
        method: 'PATCH',
        json: { manualSync: true },
      }),
    );
    const accepted = await platform.api(
      `/api/v1/deployments/${(await deployment()).id}/correct-drift`,
      { method: 'POST' },
    );
    expect(accepted.status).toBe(202);
    const audit = await platform.database.db.auditEntry.findFirstOrThrow({
      where: { action: 'deployment.correct-drift' },
      orderBy: { at: 'desc' },
    });
    expect(audit.details).toMatchObject({ overrodeSyncWindows: ['release-freeze'] });
    await vi.waitFor(async () => expect(await liveMode()).toBe('v1'), {
      timeout: 60_000,
      interval: 500,
    });

    // Three hours later on the worker's clock the window is over: the held commit goes out.
    await writeFile(clockFile, String(3 * 3600_000));
    await vi.waitFor(
      async () => {
        expect(await liveMode()).toBe('v2');
        const row = await deployment();
        expect(row.appliedHash).toBe(row.targetHash);
        expect(row.state).toBe('Ready');
      },
      { timeout: 60_000, interval: 500 },
    );
  });
});
