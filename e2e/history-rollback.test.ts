import { readFileSync } from 'node:fs';
import { startKubeSim, type KubeSim } from '@flotilla/kube-sim';
import { createBareRepo, testPki, type BareRepo, type Platform } from '@flotilla/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openBrowser, signIn, type BrowserSession } from './harness/browser.ts';
import { apiJson, startFastPlatform } from './harness/platform.ts';

const configMap = (version: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings }\ndata: { version: "${version}" }\n`;

interface Deployment {
  id: string;
  state: string;
  appliedCommit: string | null;
}

/**
 * Issue 14 item 4 in the dashboard: the History section of a deployment lists what was applied,
 * "Roll back to this commit" pins the bundle to an earlier commit, the bundle page says so, and
 * Release lets the latest commit out again.
 */
describe('history and rollback: from the deployment page to the bundle page and back', () => {
  let sim: KubeSim;
  let platform: Platform;
  let repo: BareRepo;
  let browser: BrowserSession;
  let bundleId: string;

  const deployment = async () =>
    (await apiJson<{ items: Deployment[] }>(platform, `/api/v1/bundles/${bundleId}/deployments`))
      .items[0];
  const waitApplied = (commit: string) =>
    vi.waitFor(
      async () => {
        const current = await deployment();
        if (current?.state !== 'Ready' || current.appliedCommit !== commit)
          throw new Error(`not Ready at ${commit}: ${JSON.stringify(current)}`);
      },
      { timeout: 90_000, interval: 500 },
    );

  beforeAll(async () => {
    const pki = testPki();
    [sim, platform, repo] = await Promise.all([
      startKubeSim({
        clusters: [{ name: 'history-1' }],
        tls: {
          cert: readFileSync(pki.serverCertFile),
          key: readFileSync(pki.serverKeyFile),
          ca: readFileSync(pki.caCertFile),
        },
      }),
      startFastPlatform(),
      createBareRepo({
        'app/fleet.yaml': 'defaultNamespace: history-ui\n',
        'app/config.yaml': configMap('v1'),
      }),
    ]);
    const [cluster] = sim.clusters;
    await apiJson(platform, '/api/v1/clusters', {
      json: {
        name: cluster!.name,
        labels: { env: 'prod' },
        apiServerUrl: cluster!.url,
        caData: cluster!.caData,
        token: cluster!.token,
      },
    });
    const gitRepoId = (
      await apiJson<{ id: string }>(platform, '/api/v1/gitrepos', {
        json: { name: 'history', url: repo.url, targets: [{ clusterSelector: 'env=prod' }] },
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
    await waitApplied(await repo.head());
    await repo.commit({ 'app/config.yaml': configMap('v2') }, { message: 'v2' });
    await apiJson(platform, `/api/v1/gitrepos/${gitRepoId}/sync`, { method: 'POST' });
    await waitApplied(await repo.head());
    browser = await openBrowser('history-rollback');
    await signIn(browser, platform);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
    await sim?.stop();
    await repo?.remove();
  });

  it('rolls back from a history entry and releases the pin on the bundle page', async () => {
    browser.shotOnFailure();
    const v2 = await repo.head();
    const { page } = browser;
    const { id } = (await deployment())!;
    const v1 = (
      await apiJson<{ items: { commit: string }[] }>(platform, `/api/v1/deployments/${id}/history`)
    ).items[1]!.commit;

    await page.goto(`${platform.url}/deployments/${id}`);
    const history = page.getByRole('region', { name: 'History' });
    const entries = history.getByRole('table', { name: 'History' }).getByRole('row');
    // A header row, then v2 and v1, newest first, each applied from a Git commit.
    await entries.nth(2).waitFor();
    await expect(entries.count()).resolves.toBe(3);
    await expect(entries.nth(1).textContent()).resolves.toContain(v2.slice(0, 8));
    await expect(entries.nth(2).textContent()).resolves.toContain(v1.slice(0, 8));
    await expect(entries.nth(2).textContent()).resolves.toContain('Git commit');
    await browser.shot('history');

    await entries.nth(2).getByRole('button', { name: 'Roll back to this commit' }).click();
    await history.getByText(`Rolled back: the bundle is pinned to ${v1.slice(0, 7)}`).waitFor();
    await waitApplied(v1);
    await page.reload();
    await page.getByText('The bundle is pinned to').waitFor();
    await entries.nth(1).getByText('rollback').waitFor();

    await page.goto(`${platform.url}/bundles/${bundleId}`);
    const pin = page.getByTestId('bundle-pin');
    await pin.getByText(`Pinned to ${v1.slice(0, 8)} by`).waitFor();
    await browser.shot('pinned');

    // A viewer sees the history and the pin, but neither Roll back nor Release.
    const password = 'viewer-password-long-enough';
    await apiJson(platform, '/api/v1/members', {
      json: { email: 'history-viewer@flotilla.test', role: 'viewer', password },
    });
    const viewer = await openBrowser('history-rollback-viewer');
    try {
      viewer.shotOnFailure();
      await signIn(viewer, {
        url: platform.url,
        adminEmail: 'history-viewer@flotilla.test',
        adminPassword: password,
      });
      await viewer.page.goto(`${platform.url}/deployments/${id}`);
      const seen = viewer.page.getByRole('region', { name: 'History' }).getByRole('row');
      await seen.nth(3).waitFor();
      await expect(
        viewer.page.getByRole('button', { name: 'Roll back to this commit' }).count(),
      ).resolves.toBe(0);
      await viewer.page.goto(`${platform.url}/bundles/${bundleId}`);
      const seenPin = viewer.page.getByTestId('bundle-pin');
      await seenPin.getByText(`Pinned to ${v1.slice(0, 8)} by`).waitFor();
      await expect(seenPin.getByRole('button').count()).resolves.toBe(0);
    } finally {
      await viewer.close();
    }
    await pin.getByRole('button', { name: 'Release' }).click();
    await pin.waitFor({ state: 'detached' });
    await waitApplied(v2);
  });
});
