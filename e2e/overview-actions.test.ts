import * as k8s from '@kubernetes/client-node';
import {
  createBareRepo,
  kubeConfigFor,
  startTestClusters,
  type BareRepo,
  type Platform,
  type TestClusters,
} from '@flotilla/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openBrowser, signIn, type BrowserSession } from './harness/browser.ts';
import { apiJson, startFastPlatform } from './harness/platform.ts';

const NAMESPACE = 'shop';
const configMap = (name: string, color: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ${name} }\ndata: { color: ${color} }\n`;
const FILES = {
  'shop/flotilla.yaml': `defaultNamespace: ${NAMESPACE}\n`,
  'shop/settings.yaml': configMap('shop-settings', 'blue'),
  'web/flotilla.yaml': `defaultNamespace: ${NAMESPACE}\n`,
  'web/settings.yaml': configMap('web-settings', 'green'),
};
const CLUSTERS = ['edge-1', 'edge-2'];
const GRID = 'Fleet matrix: clusters by bundles';

interface Row {
  clusterName: string;
  bundleName: string;
  state: string;
}

/**
 * Issue 16: acting from the overview, at a desktop's and a phone's width. Real drift on two
 * envtest clusters: the Modified card narrows the matrix to the problems (kept in the URL), two
 * cells are chosen and their drift corrected in one action whose confirmation counts them, and
 * the cells turn Ready. Then the grid by keyboard: one Tab stop, arrows, Enter.
 */
describe('overview: filter to the problems, correct drift in bulk, move by keyboard', () => {
  let envtest: TestClusters;
  let platform: Platform;
  let repo: BareRepo;

  const clusters = async () =>
    (await apiJson<{ items: { id: string }[] }>(platform, '/api/v1/clusters')).items;
  const states = async () => {
    const rows: Row[] = [];
    for (const cluster of await clusters())
      rows.push(
        ...(await apiJson<{ items: Row[] }>(platform, `/api/v1/clusters/${cluster.id}/deployments`))
          .items,
      );
    return rows
      .map((row) => `${row.bundleName} on ${row.clusterName}: ${row.state}`)
      .sort((a, b) => a.localeCompare(b));
  };
  const ALL_READY = CLUSTERS.flatMap((cluster) =>
    ['shop', 'web'].map((bundle) => `${bundle} on ${cluster}: Ready`),
  ).sort((a, b) => a.localeCompare(b));

  /** A hand edit of the shop ConfigMap on both clusters: real drift the monitor finds. */
  const makeDrift = async (color: string) => {
    for (const cluster of envtest.clusters) {
      const core = kubeConfigFor(cluster).makeApiClient(k8s.CoreV1Api);
      await core.patchNamespacedConfigMap(
        {
          name: 'shop-settings',
          namespace: NAMESPACE,
          body: { data: { color } },
          fieldManager: 'kubectl-edit',
        },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
      );
    }
    await vi.waitFor(
      async () =>
        expect(await states()).toEqual(
          ALL_READY.map((line) =>
            line.startsWith('shop ') ? line.replace('Ready', 'Modified') : line,
          ),
        ),
      { timeout: 90_000, interval: 1_000 },
    );
  };

  beforeAll(async () => {
    [envtest, platform, repo] = await Promise.all([
      startTestClusters(2, { names: CLUSTERS }),
      startFastPlatform(),
      createBareRepo(FILES),
    ]);
    for (const cluster of envtest.clusters)
      await apiJson(platform, '/api/v1/clusters', {
        json: {
          name: cluster.name,
          labels: { site: 'edge' },
          apiServerUrl: cluster.url,
          token: cluster.token,
          caData: cluster.caData,
        },
      });
    await apiJson(platform, '/api/v1/gitrepos', {
      json: { name: 'apps', url: repo.url, targets: [{ clusterSelector: 'site=edge' }] },
    });
    await vi.waitFor(async () => expect(await states()).toEqual(ALL_READY), {
      timeout: 120_000,
      interval: 1_000,
    });
  });

  afterAll(async () => {
    await platform?.stop();
    await envtest?.stopAll();
    await repo?.remove();
  });

  for (const screen of [
    { name: 'desktop', width: 1440, height: 900, color: 'red' },
    { name: 'phone', width: 390, height: 844, color: 'orange' },
  ]) {
    describe(`on a ${screen.name} (${screen.width} px)`, () => {
      let browser: BrowserSession;

      beforeAll(async () => {
        browser = await openBrowser(`overview-actions-${screen.name}`, screen);
        await signIn(browser, platform);
      });

      afterAll(async () => {
        await browser?.close();
      });

      it('filters to the problems and corrects drift on two clusters in one action', async () => {
        browser.shotOnFailure();
        const { page } = browser;
        await makeDrift(screen.color);
        const grid = page.getByRole('grid', { name: GRID });
        await grid.getByRole('link', { name: 'shop on edge-2: Modified', exact: true }).waitFor();

        const summary = page.getByRole('list', { name: 'Deployments by state' });
        await summary.getByRole('button', { name: /Problems only/ }).click();
        await expect.poll(() => new URL(page.url()).searchParams.get('state')).toBe('problems');
        // Only the problem's column is left; the URL keeps the filter across a reload.
        await page.reload();
        await expect(
          summary.getByRole('button', { name: /Problems only/ }).getAttribute('aria-pressed'),
        ).resolves.toBe('true');
        await grid.getByRole('link', { name: 'shop on edge-1: Modified', exact: true }).waitFor();
        await expect(grid.getByRole('columnheader', { name: /web/ }).count()).resolves.toBe(0);
        await page.getByText('2 clusters × 1 bundle · 2 deployments').waitFor();
        await browser.shot('problems-only');

        await page.getByRole('button', { name: 'Select deployments' }).click();
        for (const cluster of CLUSTERS)
          await grid
            .getByRole('link', { name: `shop on ${cluster}: Modified`, exact: true })
            .click();
        await expect(page.getByTestId('selection-status').textContent()).resolves.toBe(
          '2 deployments on 2 clusters chosen',
        );
        await expect(grid.getByRole('gridcell', { selected: true }).count()).resolves.toBe(2);
        await page.getByRole('button', { name: 'Correct drift…' }).click();
        const dialog = page.getByRole('dialog', { name: 'Correct drift' });
        await expect(dialog.getByTestId('bulk-confirmation').textContent()).resolves.toMatch(
          /^Correct drift of 2 deployments on 2 clusters\?/,
        );
        await browser.shot('confirm');
        await dialog.getByRole('button', { name: 'Correct drift', exact: true }).click();
        await page.getByText('Drift correction queued: 2 of 2.').waitFor();

        // Ready again: nothing is left to show under "problems only"...
        await page
          .getByText('No problems: every deployment is Ready.')
          .waitFor({ timeout: 90_000 });
        await browser.shot('no-problems-left');
        // ...and, with the filter off, the two cells say Ready.
        await summary.getByRole('button', { name: /Problems only/ }).click();
        await expect.poll(() => new URL(page.url()).searchParams.get('state')).toBe(null);
        for (const cluster of CLUSTERS)
          await grid
            .getByRole('link', { name: `shop on ${cluster}: Ready`, exact: true })
            .waitFor();
        expect(await states()).toEqual(ALL_READY);
        await page.getByRole('button', { name: 'Select deployments' }).click();
        await browser.shot('ready');
      });

      it('moves through the grid by keyboard: one Tab stop, arrows, Enter', async () => {
        browser.shotOnFailure();
        const { page } = browser;
        await page.reload();
        const grid = page.getByRole('grid', { name: GRID });
        await grid.getByRole('link', { name: 'web on edge-2: Ready', exact: true }).waitFor();
        const focused = () =>
          page.evaluate(() => {
            const element = document.activeElement;
            if (!element?.closest('[role="grid"]')) return 'outside the grid';
            const link = element.querySelector('a');
            return `${element.getAttribute('role')}: ${link?.getAttribute('aria-label') ?? link?.textContent ?? element.textContent}`;
          });
        await page.getByRole('button', { name: 'Select deployments' }).focus();
        await page.keyboard.press('Tab');
        await expect(focused()).resolves.toBe('gridcell: shop on edge-1: Ready');
        // The focused cell's tooltip: its state, what it means, and since when.
        const tooltip = page.getByRole('tooltip');
        await expect(tooltip.textContent()).resolves.toContain('Ready: applied, healthy, no drift');
        await tooltip.getByText(/^Ready since /).waitFor();
        // Space chooses the cell for a bulk action, and again lets it go.
        const status = page.getByTestId('selection-status');
        await page.keyboard.press('Space');
        await expect(status.textContent()).resolves.toBe('1 deployment on 1 cluster chosen');
        await page.keyboard.press('Space');
        await expect(status.textContent()).resolves.toBe(
          'Choose deployments to act on many at once.',
        );
        // Every other cell, header and link inside stays out of the Tab order.
        await expect(grid.locator('[tabindex="0"]').count()).resolves.toBe(1);

        await page.keyboard.press('ArrowDown');
        await expect(focused()).resolves.toBe('gridcell: shop on edge-2: Ready');
        await page.keyboard.press('ArrowRight');
        await expect(focused()).resolves.toBe('gridcell: web on edge-2: Ready');
        await page.keyboard.press('Home');
        await expect(focused()).resolves.toBe('rowheader: edge-2');
        await page.keyboard.press('ArrowUp');
        await page.keyboard.press('ArrowUp');
        await expect(focused()).resolves.toMatch(/^columnheader: .*Cluster \\ Bundle/);
        await page.keyboard.press('ArrowDown');
        await page.keyboard.press('ArrowDown');
        await page.keyboard.press('ArrowRight');
        await expect(focused()).resolves.toBe('gridcell: shop on edge-2: Ready');
        await browser.shot('keyboard-focus');
        await page.keyboard.press('Shift+Tab');
        await expect(focused()).resolves.toBe('outside the grid');
        await page.keyboard.press('Tab');
        // Back in: the cell that had the focus, not the first one.
        await expect(focused()).resolves.toBe('gridcell: shop on edge-2: Ready');

        await page.keyboard.press('Enter');
        await page.getByRole('heading', { level: 1, name: 'shop on edge-2' }).waitFor();
        await browser.shot('deployment-opened');
      });

      if (screen.name === 'desktop')
        it('pauses and resumes a bundle chosen by its column; the header says Paused', async () => {
          browser.shotOnFailure();
          const { page } = browser;
          await page.goto(`${platform.url}/`);
          const grid = page.getByRole('grid', { name: GRID });
          const webHeader = grid.getByRole('columnheader', { name: /^web/ });
          await webHeader.waitFor();
          await page.getByRole('button', { name: 'Select deployments' }).click();
          const choose = async () => {
            await webHeader.getByRole('link', { name: 'web' }).click();
            await expect(page.getByTestId('selection-status').textContent()).resolves.toBe(
              '2 deployments on 2 clusters chosen',
            );
          };

          await choose();
          await page.getByRole('button', { name: 'Pause bundles…' }).click();
          const pause = page.getByRole('dialog', { name: 'Pause' });
          await expect(pause.getByTestId('bulk-confirmation').textContent()).resolves.toMatch(
            /^Pause 1 bundle \(2 deployments on 2 clusters\)\?/,
          );
          await pause.getByRole('button', { name: 'Pause', exact: true }).click();
          await page.getByText('Paused: 1 of 1.').waitFor();
          await webHeader.getByText('Paused').waitFor();
          await browser.shot('paused');

          await choose();
          await page.getByRole('button', { name: 'Resume bundles…' }).click();
          const resume = page.getByRole('dialog', { name: 'Resume' });
          await resume.getByRole('button', { name: 'Resume', exact: true }).click();
          await page.getByText('Resumed: 1 of 1.').waitFor();
          await expect.poll(() => webHeader.getByText('Paused').count()).toBe(0);
          await page.getByRole('button', { name: 'Select deployments' }).click();
        });

      it('stayed free of script errors', () => {
        expect(browser.consoleErrors).toEqual([]);
        expect(browser.pageErrors).toEqual([]);
      });
    });
  }
});
