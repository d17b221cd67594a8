import * as k8s from '@kubernetes/client-node';
import {
  createBareRepo,
  kubeConfigFor,
  markDeploymentAvailable,
  startTestClusters,
  type BareRepo,
  type Platform,
  type TestClusters,
} from '@flotilla/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  errorLogLines,
  markDocument,
  openBrowser,
  signIn,
  type BrowserSession,
} from './harness/browser.ts';
import { startFastPlatform } from './harness/platform.ts';

const NAMESPACE = 'shop';

const FILES = {
  'shop/flotilla.yaml': `defaultNamespace: ${NAMESPACE}\n`,
  'shop/configmap.yaml': [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: shop-settings',
    'data:',
    '  color: blue',
    '  size: small',
    '',
  ].join('\n'),
  'shop/deployment.yaml': [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: shop-web',
    'spec:',
    '  replicas: 1',
    '  selector:',
    '    matchLabels: { app: shop-web }',
    '  template:',
    '    metadata:',
    '      labels: { app: shop-web }',
    '    spec:',
    '      containers:',
    '        - name: web',
    '          image: nginx:1.27',
    '',
  ].join('\n'),
};

/**
 * Issue 6: the whole loop in the browser. Register a cluster, connect a repository, target
 * its bundle, watch the matrix cell turn Ready and then Modified after a hand edit, without
 * reloading, and read the diff.
 */
describe('fleet: from an empty workspace to a drifted deployment', () => {
  let envtest: TestClusters;
  let platform: Platform;
  let repo: BareRepo;
  let browser: BrowserSession;

  beforeAll(async () => {
    [envtest, platform, repo] = await Promise.all([
      startTestClusters(1, { names: ['edge-1'] }),
      startFastPlatform(),
      createBareRepo(FILES),
    ]);
    browser = await openBrowser('fleet');
    await signIn(browser, platform);
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
    await envtest?.stopAll();
    await repo?.remove();
  });

  it('starts from an empty state that says what to do next', async () => {
    browser.shotOnFailure();
    const { page } = browser;
    await page.getByRole('heading', { name: 'Your fleet is empty' }).waitFor();
    await expect(
      page.getByRole('main').getByRole('link', { name: 'Register a cluster' }).count(),
    ).resolves.toBeGreaterThan(0);
    await expect(
      page.getByRole('main').getByRole('link', { name: 'Connect a repository' }).count(),
    ).resolves.toBeGreaterThan(0);
    await browser.shot('empty');
  });

  it('registers the cluster through the form', async () => {
    browser.shotOnFailure();
    const { page } = browser;
    const cluster = envtest.clusters[0]!;
    await page.getByRole('main').getByRole('link', { name: 'Register a cluster' }).first().click();
    const form = page.getByRole('form', { name: 'Register a cluster' });
    await form.getByLabel('Name', { exact: true }).fill('edge-1');
    await form.getByLabel('API server URL', { exact: true }).fill(cluster.url);
    await form.getByLabel('Bearer token', { exact: true }).fill(cluster.token);
    await form
      .getByLabel('CA certificate (base64, optional)', { exact: true })
      .fill(cluster.caData);
    await form.getByLabel('Label 1 key', { exact: true }).fill('env');
    await form.getByLabel('Label 1 value', { exact: true }).fill('prod');
    await form.getByRole('button', { name: 'Register cluster' }).click();
    const row = page.getByTestId('cluster-row').filter({ hasText: 'edge-1' });
    await expect.poll(() => row.textContent(), { timeout: 60_000 }).toContain('Online');
    await browser.shot('cluster-online');
  });

  it('connects the repository and finds its bundle', async () => {
    browser.shotOnFailure();
    const { page } = browser;
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Git repos' })
      .click();
    await page.getByRole('button', { name: 'Connect a repository' }).first().click();
    const form = page.getByRole('form', { name: 'Connect a repository' });
    await form.getByLabel('Name', { exact: true }).fill('shop-repo');
    await form.getByLabel('Repository URL', { exact: true }).fill(repo.url);
    await expect(form.getByLabel('Branch', { exact: true }).inputValue()).resolves.toBe('main');
    // The targets step defaults to every cluster and says which ones that is; this journey
    // targets the bundle itself next, so the repository deploys nowhere for now, on purpose.
    await form
      .getByTestId('repo-targets-preview')
      .getByText('Deploys to 1 cluster now: edge-1.')
      .waitFor();
    await form.getByLabel('No cluster for now (set targets later)', { exact: true }).check();
    await form.getByRole('button', { name: 'Connect repository' }).click();
    await page.getByRole('heading', { level: 1, name: 'shop-repo' }).waitFor();
    // The fetch runs in the worker; the bundle appears through live updates.
    await page
      .getByRole('table', { name: 'Bundles of this repository' })
      .getByRole('link', { name: 'shop' })
      .waitFor({ timeout: 60_000 });
    await browser.shot('repo-fetched');
  });

  it('targets the bundle with a selector and previews the clusters it selects', async () => {
    browser.shotOnFailure();
    const { page } = browser;
    await page
      .getByRole('table', { name: 'Bundles of this repository' })
      .getByRole('link', { name: 'shop' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'shop' }).waitFor();
    const useRepo = page.getByLabel("Use the repository's targets", { exact: true });
    await expect(useRepo.isChecked()).resolves.toBe(true);
    await useRepo.uncheck();
    await page.getByRole('button', { name: '+ Add target' }).click();
    const target = page.getByTestId('target-card').first();
    await target.getByLabel('Cluster selector', { exact: true }).fill('env=prod');
    const preview = page.getByTestId('targets-preview');
    await preview.getByText('Selected clusters (1)').waitFor();
    await preview.getByText('edge-1', { exact: true }).waitFor();
    // Against the saved targets (none), the edit gains that cluster.
    await preview.getByText('Will gain the bundle (1): edge-1').waitFor();
    await expect(target.getByTestId('target-match-count').textContent()).resolves.toBe(
      'selects 1 cluster',
    );
    await browser.shot('targets-preview');

    await page.getByRole('button', { name: 'Save targets' }).click();
    await page.getByText('Targets saved').waitFor();
  });

  it('turns the matrix cell Ready without a reload once the Deployment is Available', async () => {
    browser.shotOnFailure();
    const { page } = browser;
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Overview' })
      .click();
    await page.getByTestId('fleet-matrix').waitFor();
    const hasReloaded = await markDocument(page);
    const cell = page.getByRole('link', { name: /^shop on edge-1: / });
    await cell.waitFor({ timeout: 60_000 });
    await page
      .getByRole('link', { name: 'shop on edge-1: NotReady', exact: true })
      .waitFor({ timeout: 90_000 });
    await expect(cell.textContent()).resolves.toBe('◔NotReady');
    await browser.shot('matrix-notready');

    await markDeploymentAvailable(envtest.clusters[0]!, NAMESPACE, 'shop-web');
    await page
      .getByRole('link', { name: 'shop on edge-1: Ready', exact: true })
      .waitFor({ timeout: 90_000 });
    await expect(cell.textContent()).resolves.toBe('✓Ready');
    await expect(hasReloaded()).resolves.toBe(false);
    await expect(page.getByTestId('live-status').textContent()).resolves.toContain('Live');
    await browser.shot('matrix-ready');
  });

  it('turns the cell Modified after a hand edit on the cluster, and shows the changed field in the diff', async () => {
    browser.shotOnFailure();
    const { page } = browser;
    const hasReloaded = await markDocument(page);
    const core = kubeConfigFor(envtest.clusters[0]!).makeApiClient(k8s.CoreV1Api);
    await core.patchNamespacedConfigMap(
      {
        name: 'shop-settings',
        namespace: NAMESPACE,
        body: { data: { color: 'red' } },
        fieldManager: 'kubectl-edit',
      },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    const cell = page.getByRole('link', { name: 'shop on edge-1: Modified', exact: true });
    await cell.waitFor({ timeout: 90_000 });
    await expect(cell.textContent()).resolves.toBe('⚠Modified');
    await expect(hasReloaded()).resolves.toBe(false);
    await browser.shot('matrix-modified');

    await cell.click();
    await page.getByRole('heading', { level: 1, name: 'shop on edge-1' }).waitFor();
    await expect(page.getByTestId('deployment-state').textContent()).resolves.toContain('Modified');
    const diff = page.getByTestId('diff');
    await diff.waitFor();
    // What a reader sees on each line: its marker and its text (the screen-reader words left out).
    const lines = await diff.locator('[data-diff-line]').evaluateAll((nodes) =>
      nodes.map((node) =>
        [...node.childNodes]
          .filter((child) => !(child instanceof HTMLElement && child.classList.contains('sr-only')))
          .map((child) => child.textContent ?? '')
          .join('')
          .replace(/\s+/g, ' ')
          .trim(),
      ),
    );
    expect(lines).toContain('- color: blue');
    expect(lines).toContain('+ color: red');
    await expect(
      page.getByRole('list', { name: 'Fields that differ' }).textContent(),
    ).resolves.toContain('data.color');
    await page.getByRole('button', { name: 'Correct drift now' }).waitFor();
    await browser.shot('deployment-diff');
    await page.getByRole('button', { name: /Switch to dark theme/ }).click();
    await browser.shot('deployment-diff-dark');
  });

  it('lists the state changes on the events page, filterable by state', async () => {
    browser.shotOnFailure();
    const { page } = browser;
    await page.getByRole('button', { name: /Switch to light theme/ }).click();
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Events' })
      .click();
    const table = page.getByRole('table', { name: 'Events' });
    await table.waitFor();
    await page.getByLabel('Changed to state', { exact: true }).selectOption('Modified');
    await expect.poll(() => new URL(page.url()).searchParams.get('state')).toBe('Modified');
    // Only the change to Modified is left (header row + one).
    await expect.poll(() => table.getByRole('row').count()).toBe(2);
    const rows = table.getByRole('row').filter({ hasText: 'edge-1' });
    await expect(rows.first().textContent()).resolves.toContain('shop');
    await expect(
      rows
        .first()
        .getByRole('link', { name: /now Modified/ })
        .count(),
    ).resolves.toBe(1);
    await browser.shot('events');
  });

  it('kept the browser console and the server log free of errors', () => {
    expect(browser.consoleErrors).toEqual([]);
    expect(browser.pageErrors).toEqual([]);
    expect(browser.dialogs).toEqual([]);
    expect(errorLogLines(platform.webLog())).toEqual([]);
  });
});
