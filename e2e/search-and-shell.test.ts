import { startPlatform, type Platform } from '@flotilla/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, signIn, type BrowserSession } from './harness/browser.ts';
import { seedFleet, type Seeded } from './harness/seed.ts';

const ENVS = ['prod', 'staging', 'dev'];
const REGIONS = ['eu', 'us'];
const CLUSTERS = Array.from({ length: 12 }, (_, index) => ({
  name: `edge-${String(index).padStart(3, '0')}`,
  labels: { env: ENVS[index % ENVS.length]!, region: REGIONS[index % REGIONS.length]! },
}));
const PROD = CLUSTERS.filter((cluster) => cluster.labels.env === 'prod').map((c) => c.name);

const VIEWPORTS = [
  { name: 'desktop', width: 1440, height: 900, isPhone: false },
  { name: 'phone', width: 390, height: 844, isPhone: true },
] as const;

/**
 * Issue 16: find a cluster from anywhere (the global search, by label, with `/` and Ctrl-K),
 * narrow the clusters list by name, sort and label chip, get a way back from an unknown URL;
 * on a 390 px phone as on a desktop, where the navigation folds into a Menu button.
 */
describe('search and shell: global search, clusters list, 404, on desktop and phone', () => {
  let platform: Platform;
  let seeded: Seeded;

  beforeAll(async () => {
    // No worker: the seeded clusters are not real and must not be probed.
    platform = await startPlatform({ isWorkerStarted: false });
    seeded = await seedFleet(platform, {
      clusters: CLUSTERS,
      bundleNames: ['web', 'api'],
      stateOf: () => 'Ready',
    });
  });

  afterAll(async () => {
    await platform?.stop();
  });

  describe.each(VIEWPORTS)('on a $name ($width x $height)', (viewport) => {
    let browser: BrowserSession;
    const shot = (step: string) => browser.shot(`${viewport.name}-${step}`);

    beforeAll(async () => {
      browser = await openBrowser(`search-shell-${viewport.name}`, {
        width: viewport.width,
        height: viewport.height,
      });
      await signIn(browser, platform);
    });

    afterAll(async () => {
      await browser?.close();
    });

    it('opens the global search with / and finds a cluster by its label', async () => {
      browser.shotOnFailure();
      const { page } = browser;
      await page.goto(`${platform.url}/`);
      await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
      await page.locator('body').press('/');
      const dialog = page.getByRole('dialog', {
        name: 'Search clusters, bundles and repositories',
      });
      const box = dialog.getByRole('combobox', { name: 'Search' });
      await expect.poll(() => box.evaluate((node) => node === document.activeElement)).toBe(true);
      await box.fill('env=prod');
      const options = dialog.getByRole('listbox', { name: 'Search results' }).getByRole('option');
      await expect.poll(() => options.count()).toBe(PROD.length);
      await expect(options.allInnerTexts()).resolves.toEqual(
        PROD.map((name) => expect.stringContaining(name)),
      );
      await expect(box.getAttribute('aria-expanded')).resolves.toBe('true');
      await dialog.getByRole('status').getByText(`${PROD.length} results`).waitFor();
      await shot('search-by-label');
      await options.filter({ hasText: 'edge-003' }).click();
      await page.waitForURL(`${platform.url}/clusters/${seeded.clusterIds[3]}`);
      await page.getByRole('heading', { level: 1, name: 'edge-003' }).waitFor();
      await expect(dialog.isVisible()).resolves.toBe(false);
      await shot('cluster-from-search');
      // Its label chips lead on to the clusters that share the label.
      await page.getByRole('main').getByRole('link', { name: 'env=prod' }).click();
      await page.getByRole('heading', { level: 1, name: 'Clusters' }).waitFor();
      await expect
        .poll(() =>
          page
            .getByTestId('cluster-row')
            .evaluateAll((rows) => rows.map((row) => row.querySelector('a')?.textContent)),
        )
        .toEqual(PROD);
      await expect(
        page
          .getByRole('search', { name: 'Filter clusters' })
          .getByLabel('Label selector', { exact: true })
          .inputValue(),
      ).resolves.toBe('env=prod');
    });

    it('opens it with Ctrl-K too and picks a result with the arrow keys and Enter', async () => {
      browser.shotOnFailure();
      const { page } = browser;
      await page.keyboard.press('Control+k');
      const dialog = page.getByRole('dialog', {
        name: 'Search clusters, bundles and repositories',
      });
      const box = dialog.getByRole('combobox', { name: 'Search' });
      await box.waitFor();
      await box.fill('edge env=prod region=us');
      const options = dialog.getByRole('option');
      // Prod clusters in region us: edge-003 and edge-009.
      await expect
        .poll(() => options.allInnerTexts())
        .toEqual([expect.stringContaining('edge-003'), expect.stringContaining('edge-009')]);
      await expect(options.nth(0).getAttribute('aria-selected')).resolves.toBe('true');
      await box.press('ArrowDown');
      await expect(options.nth(1).getAttribute('aria-selected')).resolves.toBe('true');
      await expect(box.getAttribute('aria-activedescendant')).resolves.toBe(
        await options.nth(1).getAttribute('id'),
      );
      await box.press('Enter');
      await page.waitForURL(`${platform.url}/clusters/${seeded.clusterIds[9]}`);
      await page.getByRole('heading', { level: 1, name: 'edge-009' }).waitFor();
      // Escape closes it without going anywhere; `/` typed into a field stays a character.
      await page.keyboard.press('Control+k');
      await box.waitFor();
      await page.keyboard.press('Escape');
      await expect.poll(() => dialog.isVisible()).toBe(false);
      await expect(page.url()).toBe(`${platform.url}/clusters/${seeded.clusterIds[9]}`);
    });

    it(
      viewport.isPhone
        ? 'folds the navigation into a Menu button that opens and closes it'
        : 'shows the navigation beside the page, without a Menu button',
      async () => {
        browser.shotOnFailure();
        const { page } = browser;
        const menu = page.getByRole('button', { name: 'Menu', exact: true });
        const nav = page.getByRole('navigation', { name: 'Main' });
        if (!viewport.isPhone) {
          await expect(nav.isVisible()).resolves.toBe(true);
          await expect(menu.isVisible()).resolves.toBe(false);
          return;
        }
        await expect(nav.isVisible()).resolves.toBe(false);
        await expect(menu.getAttribute('aria-expanded')).resolves.toBe('false');
        await menu.click();
        await nav.waitFor();
        await expect(menu.getAttribute('aria-expanded')).resolves.toBe('true');
        await shot('menu-open');
        await nav.getByRole('link', { name: 'Clusters' }).click();
        await page.getByRole('heading', { level: 1, name: 'Clusters' }).waitFor();
        await expect.poll(() => nav.isVisible()).toBe(false);
        // The page fits the phone: nothing scrolls sideways.
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        expect(overflow).toBeLessThanOrEqual(0);
      },
    );

    it('searches the clusters list by name, sorts it, and filters it by a label chip', async () => {
      browser.shotOnFailure();
      const { page } = browser;
      await page.goto(`${platform.url}/clusters`);
      const rows = page.getByTestId('cluster-row');
      const names = () =>
        rows.evaluateAll((nodes) =>
          nodes.map((node) => node.querySelector('a')?.textContent?.trim() ?? ''),
        );
      await expect.poll(names).toEqual(CLUSTERS.map((cluster) => cluster.name));

      const filters = page.getByRole('search', { name: 'Filter clusters' });
      await filters.getByLabel('Name', { exact: true }).fill('edge-00');
      await expect.poll(names).toEqual(CLUSTERS.slice(0, 10).map((cluster) => cluster.name));
      await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe('edge-00');

      const table = page.getByRole('table', { name: 'Clusters' });
      await table.getByRole('button', { name: 'Name', exact: true }).click();
      await expect.poll(names).toEqual(
        CLUSTERS.slice(0, 10)
          .map((cluster) => cluster.name)
          .reverse(),
      );
      await expect(
        table.getByRole('columnheader', { name: 'Name' }).getAttribute('aria-sort'),
      ).resolves.toBe('descending');
      await expect.poll(() => new URL(page.url()).searchParams.get('sort')).toBe('-name');

      await rows.filter({ hasText: 'edge-006' }).getByRole('button', { name: 'env=prod' }).click();
      await expect.poll(names).toEqual(['edge-009', 'edge-006', 'edge-003', 'edge-000']);
      await expect(
        filters.getByLabel('Label selector', { exact: true }).inputValue(),
      ).resolves.toBe('env=prod');
      await expect.poll(() => new URL(page.url()).searchParams.get('selector')).toBe('env=prod');
      await shot('clusters-filtered');

      // The URL holds the view: a reload shows the same rows in the same order.
      await page.reload();
      await expect.poll(names).toEqual(['edge-009', 'edge-006', 'edge-003', 'edge-000']);
      // Pressing the chip again takes its filter off.
      await rows.filter({ hasText: 'edge-006' }).getByRole('button', { name: 'env=prod' }).click();
      await expect.poll(names).toEqual(
        CLUSTERS.slice(0, 10)
          .map((cluster) => cluster.name)
          .reverse(),
      );
      // The navigation's Clusters link is the bare list: the filters go, and stay gone.
      if (viewport.isPhone) await page.getByRole('button', { name: 'Menu', exact: true }).click();
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Clusters' })
        .click();
      await expect.poll(names).toEqual(CLUSTERS.map((cluster) => cluster.name));
      await expect(filters.getByLabel('Name', { exact: true }).inputValue()).resolves.toBe('');
      await expect.poll(() => new URL(page.url()).search).toBe('');
    });

    it('searches and sorts the bundles list the same way', async () => {
      browser.shotOnFailure();
      const { page } = browser;
      await page.goto(`${platform.url}/bundles`);
      const table = page.getByRole('table', { name: 'Bundles' });
      const names = () =>
        table
          .locator('tbody tr')
          .evaluateAll((rows) =>
            rows.map((row) => row.querySelector('a')?.textContent?.trim() ?? ''),
          );
      await expect.poll(names).toEqual(['api', 'web']);
      await table.getByRole('button', { name: 'Bundle', exact: true }).click();
      await expect.poll(names).toEqual(['web', 'api']);
      await page
        .getByRole('search', { name: 'Filter bundles' })
        .getByLabel('Name', { exact: true })
        .fill('AP');
      await expect.poll(names).toEqual(['api']);
      const url = () => new URL(page.url()).searchParams;
      await expect.poll(() => [url().get('q'), url().get('sort')]).toEqual(['AP', '-name']);
    });

    it('answers an unknown cluster URL with a 404 page and a way back, a server error with Retry', async () => {
      browser.shotOnFailure();
      const { page } = browser;
      await page.goto(`${platform.url}/clusters/no-such-cluster`);
      await page.getByRole('heading', { level: 1, name: 'Cluster not found' }).waitFor();
      await shot('cluster-404');
      await page.getByRole('link', { name: 'Back to the clusters' }).click();
      await page.getByRole('heading', { level: 1, name: 'Clusters' }).waitFor();
      await expect(page.url()).toBe(`${platform.url}/clusters`);

      // A server failure (two in a row: the dashboard retries a failed read once by itself)
      // shows the error and a Retry button that loads the page once the server answers.
      let failures = 0;
      await page.route(`${platform.url}/api/v1/clusters/${seeded.clusterIds[3]}`, (route) => {
        if (failures >= 2) return route.continue();
        failures += 1;
        return route.fulfill({
          status: 500,
          contentType: 'application/problem+json',
          body: JSON.stringify({
            type: 'about:blank',
            title: 'Internal Server Error',
            status: 500,
            detail: 'the server failed to handle this request; see the server log',
          }),
        });
      });
      await page.goto(`${platform.url}/clusters/${seeded.clusterIds[3]}`);
      await page.getByRole('heading', { level: 1, name: 'Could not load this cluster' }).waitFor();
      await page.getByText('the server failed to handle this request').waitFor();
      await shot('cluster-500');
      await page.getByRole('button', { name: 'Retry' }).click();
      await page.getByRole('heading', { level: 1, name: 'edge-003' }).waitFor();
      await page.unroute(`${platform.url}/api/v1/clusters/${seeded.clusterIds[3]}`);

      await page.goto(`${platform.url}/no/such/page`);
      await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
      await page.getByRole('link', { name: 'Go to the overview' }).click();
      await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
      expect(browser.pageErrors).toEqual([]);
    });
  });
});
