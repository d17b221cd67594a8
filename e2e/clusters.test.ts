import { startTestClusters, type Platform, type TestClusters } from '@flotilla/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, signIn, type BrowserSession } from './harness/browser.ts';
import { apiJson, startFastPlatform } from './harness/platform.ts';

/** Issue 3: clusters are registered, seen Online, filtered by selector and grouped, in the browser. */
describe('clusters: register, filter, group', () => {
  let envtest: TestClusters;
  let platform: Platform;
  let browser: BrowserSession;

  beforeAll(async () => {
    [envtest, platform] = await Promise.all([
      startTestClusters(1, { names: ['prod-eu-1'] }),
      startFastPlatform(),
    ]);
    browser = await openBrowser('clusters');
    await signIn(browser, platform);
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
    await envtest?.stopAll();
  });

  it('registers a real cluster through the form and shows it Online with its Kubernetes version', async () => {
    browser.shotOnFailure();
    const { page } = browser;
    const cluster = envtest.clusters[0]!;
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Clusters' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Clusters' }).waitFor();
    await page.getByRole('heading', { name: 'No clusters yet' }).waitFor();
    await browser.shot('empty');
    await page.getByRole('button', { name: 'Register a cluster' }).first().click();
    const form = page.getByRole('form', { name: 'Register a cluster' });
    await form.getByLabel('Name', { exact: true }).fill('prod-eu-1');
    // The server's field errors land next to their fields: no URL and no token yet.
    await form.getByRole('button', { name: 'Register cluster' }).click();
    await form
      .getByText(/is required/)
      .first()
      .waitFor();
    await expect(
      form.getByLabel('API server URL', { exact: true }).getAttribute('aria-invalid'),
    ).resolves.toBe('true');
    await browser.shot('register-errors');

    await form.getByLabel('API server URL', { exact: true }).fill(cluster.url);
    await form.getByLabel('Bearer token', { exact: true }).fill(cluster.token);
    await form
      .getByLabel('CA certificate (base64, optional)', { exact: true })
      .fill(cluster.caData);
    await form.getByLabel('Label 1 key', { exact: true }).fill('env');
    await form.getByLabel('Label 1 value', { exact: true }).fill('prod');
    await form.getByRole('button', { name: '+ Add label' }).click();
    await form.getByLabel('Label 2 key', { exact: true }).fill('region');
    await form.getByLabel('Label 2 value', { exact: true }).fill('eu');
    await browser.shot('register-filled');
    await form.getByRole('button', { name: 'Register cluster' }).click();
    await page.getByText('Registered prod-eu-1').waitFor();

    const row = page.getByTestId('cluster-row').filter({ hasText: 'prod-eu-1' });
    await expect.poll(() => row.textContent(), { timeout: 60_000 }).toContain('Online');
    await expect(row.textContent()).resolves.toContain('v1.20.2');
    await row.getByText(/last seen/).waitFor();
    await row.getByText('env=prod').waitFor();
    await browser.shot('registered-online');
  });

  it('filters the list live by a label selector and names the position of a mistake', async () => {
    browser.shotOnFailure();
    const { page } = browser;
    // A second cluster, unreachable, for the filter to tell apart.
    await apiJson(platform, '/api/v1/clusters', {
      json: {
        name: 'dev-us-1',
        labels: { env: 'dev', region: 'us' },
        apiServerUrl: 'https://127.0.0.1:9',
        token: 'not-a-real-token',
      },
    });
    await page.reload();
    const rows = page.getByTestId('cluster-row');
    await rows.filter({ hasText: 'dev-us-1' }).waitFor();
    await expect(rows.count()).resolves.toBe(2);

    const selector = page.getByLabel('Label selector', { exact: true });
    await selector.fill('env=prod');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(1);
    await expect(rows.first().textContent()).resolves.toContain('prod-eu-1');
    await expect.poll(() => new URL(page.url()).searchParams.get('selector')).toBe('env=prod');
    await browser.shot('filtered');

    await selector.fill('env in (prod');
    // The server's message names where the selector went wrong.
    await page.getByText(/position \d+/).waitFor();
    await expect(selector.getAttribute('aria-invalid')).resolves.toBe('true');
    // The last good result stays on screen under the message.
    await expect(rows.count()).resolves.toBe(1);
    await browser.shot('selector-error');

    await selector.fill('region in (eu,us)');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(2);
    await selector.fill('');
  });

  it('creates a cluster group in the selector editor with a live preview of its clusters', async () => {
    browser.shotOnFailure();
    const { page } = browser;
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Cluster groups' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Cluster groups' }).waitFor();
    await page.getByRole('button', { name: 'New cluster group' }).first().click();
    const form = page.getByRole('form', { name: 'New cluster group' });
    await form.getByLabel('Name', { exact: true }).fill('europe');
    await form.getByLabel('Match label 1 key', { exact: true }).fill('region');
    await form.getByLabel('Match label 1 value', { exact: true }).fill('eu');
    const preview = form.getByTestId('selector-preview');
    await preview.getByText('prod-eu-1').waitFor();
    await expect.poll(() => preview.getByText('dev-us-1').count()).toBe(0);
    await expect(preview.getByRole('heading').textContent()).resolves.toContain(
      'Matching clusters now (1)',
    );
    await browser.shot('group-preview-rules');

    await form.getByRole('button', { name: '+ Add expression' }).click();
    await form.getByLabel('Expression 1 key', { exact: true }).fill('env');
    await form.getByLabel('Expression 1 operator', { exact: true }).selectOption('NotIn');
    await form
      .getByLabel('Expression 1 values, comma-separated', { exact: true })
      .fill('dev, test');
    await expect
      .poll(() => preview.getByRole('listitem').allTextContents())
      .toEqual([expect.stringContaining('prod-eu-1')]);

    // The text form starts from the rules; editing it previews the new selector.
    await form.getByRole('tab', { name: 'Text' }).click();
    const text = form.getByLabel('Selector text', { exact: true });
    await expect(text.inputValue()).resolves.toBe('region=eu,env notin (dev,test)');
    await text.fill('region in (eu,us)');
    await preview.getByText('dev-us-1').waitFor();
    await expect.poll(() => preview.getByRole('listitem').count()).toBe(2);
    await browser.shot('group-preview-text');

    await form.getByRole('button', { name: 'Create group' }).click();
    const row = page.getByTestId('group-row').filter({ hasText: 'europe' });
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain('region in (eu,us)');
    await expect(row.getByRole('cell').nth(3).textContent()).resolves.toBe('2');
    await browser.shot('group-created');
    await page.getByRole('button', { name: /Switch to dark theme/ }).click();
    await browser.shot('group-created-dark');
  });

  it('kept the page free of script errors and dialogs', () => {
    // 422 answers (the selector mistake, the incomplete form) are logged by Chromium as failed loads.
    const unexpected = browser.consoleErrors.filter((line) => !/status of 422/.test(line));
    expect(unexpected).toEqual([]);
    expect(browser.pageErrors).toEqual([]);
    expect(browser.dialogs).toEqual([]);
  });
});
