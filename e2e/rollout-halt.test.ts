import { readFileSync } from 'node:fs';
import { startKubeSim, type KubeSim } from '@flotilla/kube-sim';
import { createBareRepo, testPki, type BareRepo, type Platform } from '@flotilla/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { errorLogLines, openBrowser, signIn, type BrowserSession } from './harness/browser.ts';
import { apiJson, startFastPlatform } from './harness/platform.ts';

/** Three partitions of two simulated clusters (by a `wave` label), maxUnavailable 1 each. */
const fleetYaml = (withWave2Overlay: boolean) =>
  [
    'defaultNamespace: rollout-ui',
    'rolloutStrategy:',
    '  partitions:',
    ...[1, 2, 3].flatMap((wave) => [
      `    - name: wave-${wave}`,
      '      maxUnavailable: 1',
      `      clusterSelector: { matchLabels: { wave: "${wave}" } }`,
    ]),
    ...(withWave2Overlay
      ? [
          'targetCustomizations:',
          '  - name: wave-2',
          '    clusterSelector: { matchLabels: { wave: "2" } }',
          '    yaml: { overlays: [wave2] }',
        ]
      : []),
  ].join('\n') + '\n';
const configMap = (version: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings }\ndata: { version: "${version}" }\n`;
/** A label value the API server refuses: wave 2's apply fails. */
const REJECTED =
  'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n  labels: { tier: "not a valid value!" }\n';

interface Row {
  clusterName: string;
  state: string;
  appliedCommit: string | null;
}

/**
 * Issue 14: a halted rollout in the dashboard. A commit that wave 2 rejects halts the rollout
 * there; the bundle page shows the Rollout panel with the banner naming the failing clusters
 * and their errors, and Promote lets wave 3 have the commit.
 */
describe('rollout halt: the banner and Promote on the bundle page', () => {
  let sim: KubeSim;
  let platform: Platform;
  let repo: BareRepo;
  let browser: BrowserSession;
  let gitRepoId: string;
  let bundleId: string;

  const rows = async () =>
    (await apiJson<{ items: Row[] }>(platform, `/api/v1/bundles/${bundleId}/deployments`)).items;
  const waveNames = (wave: number) => [`ui-wave-${wave}a`, `ui-wave-${wave}b`];
  const waitForCommit = (names: string[], commit: string) =>
    vi.waitFor(
      async () => {
        const current = await rows();
        const behind = names.filter((name) => {
          const row = current.find((candidate) => candidate.clusterName === name);
          return row?.state !== 'Ready' || row.appliedCommit !== commit;
        });
        if (behind.length > 0) throw new Error(`not Ready at ${commit}: ${behind.join(', ')}`);
      },
      { timeout: 90_000, interval: 500 },
    );

  beforeAll(async () => {
    const pki = testPki();
    [sim, platform, repo] = await Promise.all([
      startKubeSim({
        clusters: [1, 2, 3].flatMap((wave) => waveNames(wave).map((name) => ({ name }))),
        tls: {
          cert: readFileSync(pki.serverCertFile),
          key: readFileSync(pki.serverKeyFile),
          ca: readFileSync(pki.caCertFile),
        },
      }),
      startFastPlatform(),
      createBareRepo({ 'app/fleet.yaml': fleetYaml(false), 'app/config.yaml': configMap('v1') }),
    ]);
    for (const cluster of sim.clusters) {
      await apiJson(platform, '/api/v1/clusters', {
        json: {
          name: cluster.name,
          labels: { wave: cluster.name.slice('ui-wave-'.length, 'ui-wave-'.length + 1) },
          apiServerUrl: cluster.url,
          caData: cluster.caData,
          token: cluster.token,
        },
      });
    }
    gitRepoId = (
      await apiJson<{ id: string }>(platform, '/api/v1/gitrepos', {
        json: { name: 'waves', url: repo.url, targets: [{ clusterSelector: 'wave' }] },
      })
    ).id;
    bundleId = await vi.waitFor(
      async () => {
        const found = await apiJson<{ bundles: { id: string }[] }>(
          platform,
          `/api/v1/gitrepos/${gitRepoId}`,
        );
        if (!found.bundles[0]) throw new Error('the bundle is not discovered yet');
        return found.bundles[0].id;
      },
      { timeout: 60_000, interval: 300 },
    );
    await waitForCommit([1, 2, 3].flatMap(waveNames), await repo.head());
    browser = await openBrowser('rollout-halt');
    await signIn(browser, platform);
  }, 180_000);

  afterAll(async () => {
    if (process.env.FLOTILLA_TEST_DEBUG) console.log(`WEB\n${platform?.webLog().slice(-12000)}`);
    await browser?.close();
    await platform?.stop();
    await sim?.stop();
    await repo?.remove();
  });

  it('shows where the rollout halted and promotes it past wave 2', async () => {
    browser.shotOnFailure();
    const first = await repo.head();
    const second = await repo.commit(
      {
        'app/fleet.yaml': fleetYaml(true),
        'app/config.yaml': configMap('v2'),
        'app/overlays/wave2/extra.yaml': REJECTED,
      },
      { message: 'v2: wave 2 rejects it' },
    );
    await apiJson(platform, `/api/v1/gitrepos/${gitRepoId}/sync`, { method: 'POST' });
    await waitForCommit(waveNames(1), second);
    await vi.waitFor(
      async () => {
        const { rollout } = await apiJson<{
          rollout: { halted: { failing: unknown[] } | null } | null;
        }>(platform, `/api/v1/bundles/${bundleId}`);
        if ((rollout?.halted?.failing.length ?? 0) < 1) throw new Error('not halted on wave 2 yet');
      },
      { timeout: 90_000, interval: 500 },
    );

    const { page } = browser;
    await page.goto(`${platform.url}/bundles/${bundleId}`);
    await page.getByRole('heading', { level: 1, name: 'app' }).waitFor();
    const panel = page.getByRole('region', { name: 'Rollout' });
    const banner = panel.getByRole('alert');
    await banner.getByText('Halted: partition 2 of 3, 1 cluster failing').waitFor();
    // maxUnavailable 1: wave 2 got the commit one cluster at a time, and the first one failed.
    const failing = banner.getByRole('list', { name: 'Failing clusters' });
    const [failed, spared] = await Promise.all(
      waveNames(2).map(async (name) => failing.getByRole('link', { name }).count()),
    );
    expect(failed! + spared!).toBe(1);
    await expect(failing.textContent()).resolves.toContain('not a valid value!');
    const waveTwo = (await rows()).filter((row) => waveNames(2).includes(row.clusterName));
    expect(waveTwo.filter((row) => row.appliedCommit === first)).toHaveLength(2);
    const table = panel.getByRole('table', { name: 'Rollout partitions' });
    await expect(table.getByRole('row').nth(3).textContent()).resolves.toContain(
      'whole partition waits',
    );
    // Each partition draws its clusters as cells (state and the commit each runs) and how far
    // it is: wave 1 done, wave 2 with one cell failing (or retrying) and one still on the first
    // commit.
    const waveOneRow = table.getByRole('row').nth(1);
    await waveOneRow.getByRole('progressbar', { name: '2 of 2 up to date' }).waitFor();
    for (const name of waveNames(1))
      await waveOneRow
        .getByRole('link', { name: `${name}: Ready, runs ${second.slice(0, 7)}` })
        .waitFor();
    const waveTwoRow = table.getByRole('row').nth(2);
    await waveTwoRow.getByRole('progressbar', { name: '0 of 2 up to date' }).waitFor();
    await expect(
      waveTwoRow
        .getByRole('link', {
          name: new RegExp(`: (ErrApplied|WaitApplied), runs ${first.slice(0, 7)}$`),
        })
        .count(),
    ).resolves.toBe(1);
    await expect(
      waveTwoRow
        .getByRole('link', { name: new RegExp(`: OutOfSync, runs ${first.slice(0, 7)}$`) })
        .count(),
    ).resolves.toBe(1);
    await browser.shot('halted');
    for (const name of waveNames(3))
      expect((await rows()).find((row) => row.clusterName === name)?.appliedCommit).toBe(first);

    // A viewer sees where it halted, but neither Promote nor Retry.
    const password = 'viewer-password-long-enough';
    await apiJson(platform, '/api/v1/members', {
      json: { email: 'rollout-viewer@flotilla.test', role: 'viewer', password },
    });
    const viewer = await openBrowser('rollout-halt-viewer');
    try {
      viewer.shotOnFailure();
      await signIn(viewer, {
        url: platform.url,
        adminEmail: 'rollout-viewer@flotilla.test',
        adminPassword: password,
      });
      await viewer.page.goto(`${platform.url}/bundles/${bundleId}`);
      const seen = viewer.page.getByRole('region', { name: 'Rollout' }).getByRole('alert');
      await seen.getByText('Halted: partition 2 of 3, 1 cluster failing').waitFor();
      await expect(seen.getByRole('button').count()).resolves.toBe(0);
      await viewer.shot('viewer');
    } finally {
      await viewer.close();
    }

    await banner.getByRole('button', { name: 'Promote past partition 2' }).click();
    await waitForCommit(waveNames(3), second);
    await vi.waitFor(
      async () => {
        await page.reload();
        await table.waitFor();
        expect(await banner.count()).toBe(0);
        await expect(table.getByRole('row').nth(2).textContent()).resolves.toContain('promoted');
      },
      { timeout: 30_000, interval: 1000 },
    );
    await browser.shot('promoted');
    expect(browser.pageErrors).toEqual([]);
    expect(errorLogLines(platform.webLog())).toEqual([]);
  });
});
