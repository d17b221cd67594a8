import { startPlatform, type Platform } from '@flotilla/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, signIn, type BrowserSession } from './harness/browser.ts';
import { SEED_STATES, seedFleet, type SeedState } from './harness/seed.ts';

const CLUSTERS = 1000;
const BUNDLES = 50;
const REGIONS = ['eu', 'us', 'ap', 'sa'];
const ENVS = ['prod', 'staging', 'dev'];

const clusterName = (index: number) => `cluster-${String(index).padStart(4, '0')}`;
const labelsOf = (index: number) => ({
  region: REGIONS[index % REGIONS.length]!,
  env: ENVS[index % ENVS.length]!,
});
const bundleName = (index: number) => `app-${String(index + 1).padStart(2, '0')}`;
// Every cluster gets every bundle except a few gaps, with a spread of states.
const stateOf = (cluster: number, bundle: number): SeedState | null =>
  (cluster + bundle) % 17 === 0 ? null : SEED_STATES[(cluster * 7 + bundle) % SEED_STATES.length]!;

/** The overview over 1000 clusters x 50 bundles: it renders, scrolls both ways, stays virtualised, filters. */
describe('scale: the fleet matrix with 1000 clusters and 50 bundles', () => {
  let platform: Platform;
  let browser: BrowserSession;
  const expected = new Map<SeedState, number>();

  beforeAll(async () => {
    // No worker: the seeded clusters are not real and must not be probed.
    platform = await startPlatform({ isWorkerStarted: false });
    await seedFleet(platform, {
      clusters: Array.from({ length: CLUSTERS }, (_, index) => ({
        name: clusterName(index),
        labels: labelsOf(index),
      })),
      bundleNames: Array.from({ length: BUNDLES }, (_, index) => bundleName(index)),
      stateOf,
    });
    for (let cluster = 0; cluster < CLUSTERS; cluster += 1) {
      for (let bundle = 0; bundle < BUNDLES; bundle += 1) {
        const state = stateOf(cluster, bundle);
        if (state) expected.set(state, (expected.get(state) ?? 0) + 1);
      }
    }
    browser = await openBrowser('scale');
    await signIn(browser, platform);
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('renders the counts per state and a virtualised matrix', async () => {
    browser.shotOnFailure();
    const { page } = browser;
    const grid = page.getByRole('grid', { name: 'Fleet matrix: clusters by bundles' });
    await grid.waitFor({ timeout: 60_000 });
    await page.getByText(/1,000 clusters × 50 bundles/).waitFor();
    const summary = page.getByRole('list', { name: 'Deployments by state' });
    for (const [state, count] of expected) {
      await expect(
        summary
          .getByRole('listitem')
          .filter({ hasText: new RegExp(`(^|[^A-Za-z])${state}$`) })
          .textContent(),
      ).resolves.toContain(count.toLocaleString('en'));
    }
    await expect(grid.getAttribute('aria-rowcount')).resolves.toBe(String(CLUSTERS + 1));
    await expect(grid.getAttribute('aria-colcount')).resolves.toBe(String(BUNDLES + 1));
    const rows = await grid.getByRole('row').count();
    expect(rows).toBeGreaterThan(5);
    expect(rows).toBeLessThan(200);
    const cells = await grid.getByRole('gridcell').count();
    expect(cells).toBeLessThan(rows * 25);
    await browser.shot('top');
  });

  it('scrolls to the last cluster and the last bundle', async () => {
    browser.shotOnFailure();
    const { page } = browser;
    const grid = page.getByRole('grid', { name: 'Fleet matrix: clusters by bundles' });
    const last = clusterName(CLUSTERS - 1);
    await expect(grid.getByRole('rowheader', { name: last }).count()).resolves.toBe(0);
    await grid.evaluate((element) =>
      element.scrollTo({ top: element.scrollHeight, left: element.scrollWidth }),
    );
    await grid.getByRole('rowheader', { name: last }).waitFor();
    await grid.getByRole('rowheader', { name: last }).waitFor();
    await grid.getByRole('columnheader', { name: bundleName(BUNDLES - 1) }).waitFor();
    // The headers stick: the cluster column and the header row are still on screen.
    await grid.getByRole('columnheader', { name: 'Cluster \\ Bundle' }).waitFor();
    await expect(grid.getByRole('row').count()).resolves.toBeLessThan(200);
    const state = stateOf(CLUSTERS - 1, BUNDLES - 1);
    if (state)
      await grid
        .getByRole('link', { name: `${bundleName(BUNDLES - 1)} on ${last}: ${state}`, exact: true })
        .waitFor();
    await browser.shot('scrolled-to-end');
    await grid.evaluate((element) => element.scrollTo({ top: 0, left: 0 }));
  });

  it('groups rows by a label and narrows them with a selector', async () => {
    browser.shotOnFailure();
    const { page } = browser;
    const grid = page.getByRole('grid', { name: 'Fleet matrix: clusters by bundles' });
    await page.getByLabel('Group rows by', { exact: true }).selectOption('region');
    await grid.getByRole('rowheader', { name: /region=ap \(250 clusters\)/ }).waitFor();
    await browser.shot('grouped');

    const matching = Array.from({ length: CLUSTERS }, (_, index) => index).filter(
      (index) => labelsOf(index).region === 'eu' && labelsOf(index).env === 'prod',
    );
    await page.getByLabel('Cluster selector', { exact: true }).fill('region=eu,env=prod');
    await page
      .getByText(new RegExp(`^${matching.length} clusters × 50 bundles`))
      .waitFor({ timeout: 30_000 });
    await expect(grid.getAttribute('aria-rowcount')).resolves.toBe(String(matching.length + 1 + 1));
    const first = clusterName(matching[0]!);
    await grid.getByRole('rowheader', { name: first, exact: true }).waitFor();
    await expect(
      grid.getByRole('rowheader', { name: clusterName(1), exact: true }).count(),
    ).resolves.toBe(0);
    await browser.shot('filtered');
    await page.getByRole('button', { name: /Switch to dark theme/ }).click();
    await browser.shot('filtered-dark');
  });

  it('lists 1,000 clusters by name, page by page, searched, sorted and filtered by a label chip', async () => {
    browser.shotOnFailure();
    const { page } = browser;
    await page.goto(`${platform.url}/clusters`);
    const filters = page.getByRole('search', { name: 'Filter clusters' });
    const names = () =>
      page
        .getByTestId('cluster-row')
        .evaluateAll((rows) => rows.map((row) => row.querySelector('a')?.textContent ?? ''));
    await filters.getByText('200 clusters so far').waitFor({ timeout: 30_000 });
    await expect(names()).resolves.toEqual(
      Array.from({ length: 200 }, (_, index) => clusterName(index)),
    );
    await page.getByRole('button', { name: 'Load more clusters' }).click();
    await filters.getByText('400 clusters so far').waitFor();

    await filters.getByLabel('Name', { exact: true }).fill('cluster-09');
    const nineHundreds = Array.from({ length: 100 }, (_, index) => 900 + index);
    await expect.poll(names).toEqual(nineHundreds.map(clusterName));
    await page
      .getByRole('table', { name: 'Clusters' })
      .getByRole('button', { name: 'Name', exact: true })
      .click();
    await expect.poll(names).toEqual(nineHundreds.map(clusterName).reverse());
    const last = clusterName(CLUSTERS - 1);
    const env = labelsOf(CLUSTERS - 1).env;
    await page
      .getByTestId('cluster-row')
      .filter({ hasText: last })
      .getByRole('button', { name: `env=${env}` })
      .click();
    const filtered = nineHundreds
      .filter((index) => labelsOf(index).env === env)
      .map(clusterName)
      .reverse();
    await expect.poll(names).toEqual(filtered);
    // The address holds all three (the name typed, the order, the chip's selector), so the
    // view survives a reload and can be shared.
    await expect
      .poll(() => Object.fromEntries(new URL(page.url()).searchParams))
      .toEqual({ q: 'cluster-09', sort: '-name', selector: `env=${env}` });
    await page.reload();
    await expect.poll(names).toEqual(filtered);
    await expect(filters.getByLabel('Name', { exact: true }).inputValue()).resolves.toBe(
      'cluster-09',
    );
    await browser.shot('clusters-list');
  });

  it('stayed free of script errors', () => {
    expect(browser.consoleErrors).toEqual([]);
    expect(browser.pageErrors).toEqual([]);
  });
});
