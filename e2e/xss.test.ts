import { startPlatform, type Platform } from '@flotilla/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, signIn, type BrowserSession } from './harness/browser.ts';
import { apiJson } from './harness/platform.ts';
import { defaultWorkspaceId } from './harness/seed.ts';

const HOSTILE_NAME = '<img src=x onerror=alert(1)>';
const HOSTILE_VALUE = 'javascript:alert(1)';
const HOSTILE_BUNDLE = '<script>alert(2)</script>';

/**
 * Issue 7: names and labels are data, shown as text. A cluster called like an HTML tag and a
 * label value that looks like a URL must not become markup, a link target, or a dialog.
 */
describe('xss: hostile names and labels render as text', () => {
  let platform: Platform;
  let browser: BrowserSession;
  let clusterId: string;

  const assertInert = async () => {
    const { page } = browser;
    await expect(page.locator('img[src="x"]').count()).resolves.toBe(0);
    await expect(page.locator('script').filter({ hasText: 'alert(' }).count()).resolves.toBe(0);
    await expect(page.locator('a[href^="javascript:" i]').count()).resolves.toBe(0);
    await expect(page.locator('[href*="alert(1)"]').count()).resolves.toBe(0);
    expect(browser.dialogs).toEqual([]);
  };

  beforeAll(async () => {
    // No worker: the seeded states and messages below must stay as written, not be re-derived.
    platform = await startPlatform({ isWorkerStarted: false });
    const cluster = await apiJson<{ id: string }>(platform, '/api/v1/clusters', {
      json: {
        name: HOSTILE_NAME,
        labels: { link: HOSTILE_VALUE, region: 'eu' },
        apiServerUrl: 'https://127.0.0.1:9',
        token: 'not-a-real-token',
      },
    });
    clusterId = cluster.id;
    // A bundle and a deployment so the overview draws the matrix (no git fetch needed).
    const workspaceId = await defaultWorkspaceId(platform);
    const db = platform.database.db;
    await db.gitRepo.create({
      data: {
        id: 'xssrepo',
        workspaceId,
        name: HOSTILE_BUNDLE,
        url: 'https://example.invalid/x.git',
        nextPollAt: new Date('2100-01-01'),
      },
    });
    await db.bundle.create({
      data: { id: 'xssbundle', workspaceId, gitRepoId: 'xssrepo', name: HOSTILE_BUNDLE, path: 'x' },
    });
    await db.bundleDeployment.create({
      data: {
        id: 'xssdeployment',
        workspaceId,
        bundleId: 'xssbundle',
        clusterId,
        state: 'ErrApplied',
        message: `<b>${HOSTILE_VALUE}</b>`,
      },
    });
    browser = await openBrowser('xss');
    browser.page.on('dialog', () => {
      throw new Error('a dialog opened: a hostile name was executed');
    });
    await signIn(browser, platform);
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('shows them as text on the clusters page', async () => {
    browser.shotOnFailure();
    const { page } = browser;
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Clusters' })
      .click();
    const row = page.getByTestId('cluster-row');
    await row.first().waitFor();
    await expect(
      row.getByRole('link', { name: HOSTILE_NAME, exact: true }).textContent(),
    ).resolves.toBe(HOSTILE_NAME);
    await row.getByText(`link=${HOSTILE_VALUE}`, { exact: true }).waitFor();
    await assertInert();
    await browser.shot('clusters');
  });

  it('shows them as text in the overview matrix', async () => {
    browser.shotOnFailure();
    const { page } = browser;
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Overview' })
      .click();
    const grid = page.getByRole('grid', { name: 'Fleet matrix: clusters by bundles' });
    await grid.waitFor();
    await grid.getByRole('rowheader').filter({ hasText: HOSTILE_NAME }).first().waitFor();
    await grid.getByRole('columnheader', { name: HOSTILE_BUNDLE }).waitFor();
    await grid
      .getByRole('link', { name: `${HOSTILE_BUNDLE} on ${HOSTILE_NAME}: ErrApplied`, exact: true })
      .waitFor();
    await page.getByLabel('Group rows by', { exact: true }).selectOption('link');
    await grid
      .getByRole('rowheader', {
        name: new RegExp(`link=${HOSTILE_VALUE.replace(/[()]/g, '\\$&')}`),
      })
      .waitFor();
    await assertInert();
    await browser.shot('overview');
  });

  it('shows them as text on the cluster detail and deployment pages', async () => {
    browser.shotOnFailure();
    const { page } = browser;
    await page.goto(`${platform.url}/clusters/${clusterId}`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(HOSTILE_NAME);
    await page.getByText(`link=${HOSTILE_VALUE}`, { exact: true }).waitFor();
    await page
      .getByRole('table', { name: 'Bundles on this cluster' })
      .getByRole('link', { name: HOSTILE_BUNDLE })
      .click();
    await page.getByTestId('deployment-state').waitFor();
    await page.getByText(`<b>${HOSTILE_VALUE}</b>`).waitFor();
    await assertInert();
    await browser.shot('detail');
  });

  it('opened no dialog and raised no script error', () => {
    expect(browser.dialogs).toEqual([]);
    expect(browser.pageErrors).toEqual([]);
  });
});
