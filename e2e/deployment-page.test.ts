import { createRequire } from 'node:module';
import * as k8s from '@kubernetes/client-node';
import {
  addControllerChildren,
  createBareRepo,
  kubeConfigFor,
  markDeploymentAvailable,
  startTestClusters,
  type BareRepo,
  type Platform,
  type TestCluster,
  type TestClusters,
} from '@flotilla/testkit';
import type { AxeResults } from 'axe-core';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openBrowser, signIn, type BrowserSession } from './harness/browser.ts';
import { apiJson, startFastPlatform } from './harness/platform.ts';

const VIEWPORTS = [
  { name: 'desktop', width: 1440, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const;

const PASSWORD_B64 = Buffer.from('s3cret-of-the-shop').toString('base64');

/** One bundle per viewport, each in its own namespace, so each journey has a failure to fix. */
const bundleFiles = (viewport: string): Record<string, string> => ({
  [`pay-${viewport}/fleet.yaml`]: [
    `defaultNamespace: pay-${viewport}`,
    'targetCustomizations:',
    '  - name: edge',
    '    clusterSelector:',
    '      matchLabels: { env: edge }',
    '',
  ].join('\n'),
  [`pay-${viewport}/secret.yaml`]: `apiVersion: v1\nkind: Secret\nmetadata:\n  name: pay-db\ndata:\n  password: ${PASSWORD_B64}\n`,
  [`pay-${viewport}/settings.yaml`]: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: pay-settings\ndata:\n  currency: EUR\n`,
  [`pay-${viewport}/deployment.yaml`]: [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: pay',
    'spec:',
    '  replicas: 1',
    '  selector:',
    '    matchLabels: { app: pay }',
    '  template:',
    '    metadata:',
    '      labels: { app: pay }',
    '    spec:',
    '      containers:',
    '        - name: pay',
    '          image: nginx:1.27',
    '',
  ].join('\n'),
});

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** axe's WCAG 2.2 A/AA violations on the page as it is now (the live view open), one per line. */
async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE_PATH });
  const results = await page.evaluate(() =>
    (
      window as unknown as {
        axe: { run: (context: unknown, options: unknown) => Promise<AxeResults> };
      }
    ).axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
      resultTypes: ['violations'],
    }),
  );
  return results.violations.flatMap((violation) =>
    violation.nodes.map((node) => `${violation.id}: ${node.target.join(' ')}`),
  );
}

interface ApiDeployment {
  id: string;
  state: string;
  desiredRevision: string | null;
}

/**
 * Issue 16 item 2: the deployment page never contradicts itself. A real failed apply (the
 * cluster holds a ConfigMap that is not the bundle's, so Flotilla refuses to take it over) shows
 * "Apply failed", the revision attempted and the customization; once the ConfigMap is gone,
 * Retry makes it Ready. Then desired against live YAML (a Secret masked on both sides) and the
 * resource tree with a Pod's events. At a desktop and a phone viewport.
 */
describe('deployment page: from a failed apply to the live objects', () => {
  let envtest: TestClusters;
  let cluster: TestCluster;
  let platform: Platform;
  let repo: BareRepo;
  const bundleIds = new Map<string, string>();

  const deploymentOf = async (viewport: string) =>
    (
      await apiJson<{ items: ApiDeployment[] }>(
        platform,
        `/api/v1/bundles/${bundleIds.get(viewport)}/deployments`,
      )
    ).items[0];
  const core = () => kubeConfigFor(cluster).makeApiClient(k8s.CoreV1Api);

  beforeAll(async () => {
    [envtest, platform, repo] = await Promise.all([
      startTestClusters(1, { names: ['edge-pay'] }),
      startFastPlatform(),
      createBareRepo(
        Object.assign({}, ...VIEWPORTS.map((viewport) => bundleFiles(viewport.name))) as Record<
          string,
          string
        >,
      ),
    ]);
    cluster = envtest.clusters[0]!;
    // Someone made pay-settings by hand before Flotilla came: it is not the bundle's to take.
    for (const { name } of VIEWPORTS) {
      await core().createNamespace({ body: { metadata: { name: `pay-${name}` } } });
      await core().createNamespacedConfigMap({
        namespace: `pay-${name}`,
        body: { metadata: { name: 'pay-settings' }, data: { currency: 'USD' } },
      });
    }
    await apiJson(platform, '/api/v1/clusters', {
      json: {
        name: cluster.name,
        labels: { env: 'edge' },
        apiServerUrl: cluster.url,
        caData: cluster.caData,
        token: cluster.token,
      },
    });
    const gitRepo = await apiJson<{ id: string }>(platform, '/api/v1/gitrepos', {
      json: { name: 'pay', url: repo.url, targets: [{ clusterSelector: 'env=edge' }] },
    });
    await vi.waitFor(
      async () => {
        const found = await apiJson<{ bundles: { id: string; name: string }[] }>(
          platform,
          `/api/v1/gitrepos/${gitRepo.id}`,
        );
        for (const bundle of found.bundles)
          bundleIds.set(bundle.name.replace(/^pay-/, ''), bundle.id);
        if (bundleIds.size < VIEWPORTS.length) throw new Error('bundles not discovered yet');
      },
      { timeout: 60_000, interval: 300 },
    );
    for (const { name } of VIEWPORTS)
      await vi.waitFor(
        async () => {
          const deployment = await deploymentOf(name);
          if (deployment?.state !== 'ErrApplied')
            throw new Error(`not failed yet: ${deployment?.state}`);
        },
        { timeout: 90_000, interval: 500 },
      );
  }, 180_000);

  afterAll(async () => {
    await platform?.stop();
    await envtest?.stopAll();
    await repo?.remove();
  });

  describe.each(VIEWPORTS)('at $name size ($width x $height)', (viewport) => {
    let browser: BrowserSession;

    beforeAll(async () => {
      browser = await openBrowser(`deployment-page-${viewport.name}`, viewport);
      await signIn(browser, platform);
    });

    afterAll(async () => {
      await browser?.close();
    });

    it('shows the failed apply as it is, and Retry makes it Ready once the cause is gone', async () => {
      browser.shotOnFailure();
      const { page } = browser;
      const deployment = (await deploymentOf(viewport.name))!;
      await page.goto(`${platform.url}/deployments/${deployment.id}`);
      const failed = page.getByTestId('apply-failed');
      await failed.waitFor();
      const text = (await failed.textContent()) ?? '';
      expect(text).toContain('Apply failed: revision');
      expect(text).toContain(deployment.desiredRevision!.slice(0, 12));
      expect(text).toContain('with customization "edge"');
      expect(text).toContain(`ConfigMap pay-${viewport.name}/pay-settings`);
      const facts = page.getByRole('region', { name: 'State' });
      await facts.getByText('Customization (failed)').waitFor();
      await facts.getByText('nothing yet: the first apply failed').waitFor();
      await page
        .getByText('No resources recorded: the apply failed before any object was applied')
        .waitFor();
      await expect(page.getByText('the first apply has not finished').count()).resolves.toBe(0);
      // Retry, not a correction that would answer 409.
      await expect(page.getByRole('button', { name: 'Correct drift now' }).count()).resolves.toBe(
        0,
      );
      await browser.shot('apply-failed');
      await expect(axeViolations(page)).resolves.toEqual([]);

      // The operator removes the hand-made ConfigMap, then retries the same revision.
      await core().deleteNamespacedConfigMap({
        name: 'pay-settings',
        namespace: `pay-${viewport.name}`,
      });
      await page.getByRole('button', { name: 'Retry' }).click();
      await page.getByText('Retry queued: Flotilla applies the same revision again.').waitFor();
      await vi.waitFor(
        async () => {
          const current = await apiJson<{ appliedRevision: string | null }>(
            platform,
            `/api/v1/deployments/${deployment.id}`,
          );
          if (current.appliedRevision !== deployment.desiredRevision)
            throw new Error('not applied yet');
        },
        { timeout: 60_000, interval: 500 },
      );
      // No controllers on envtest: the Deployment's status is what one would write.
      await markDeploymentAvailable(cluster, `pay-${viewport.name}`, 'pay');
      await page
        .getByTestId('deployment-state')
        .getByText('applied, healthy, no drift', { exact: false })
        .waitFor({ timeout: 60_000 });
      await expect(page.getByTestId('deployment-state').textContent()).resolves.toContain('Ready');
      await failed.waitFor({ state: 'detached' });
      await page.getByRole('region', { name: 'State' }).getByText('✓ same as desired').waitFor();
      await browser.shot('ready-after-retry');
    });

    it('shows desired and live YAML side by side, Secrets masked, and the resource tree', async () => {
      browser.shotOnFailure();
      const { page } = browser;
      const { id } = (await deploymentOf(viewport.name))!;
      await addControllerChildren(cluster, {
        namespace: `pay-${viewport.name}`,
        deployment: 'pay',
      });
      await page.goto(`${platform.url}/deployments/${id}`);
      const section = page.getByRole('region', { name: 'Desired and live' });
      await section.getByRole('button', { name: 'Read live objects' }).click();
      await section.getByText(`Read from ${cluster.name}`).waitFor();

      await section
        .getByLabel('Object')
        .selectOption({ label: `Secret pay-${viewport.name}/pay-db` });
      const desired = section.getByLabel('Desired (Git)', { exact: true });
      const live = section.getByLabel('Live on the cluster', { exact: true });
      await expect(desired.textContent()).resolves.toContain('password: "********"');
      await expect(live.textContent()).resolves.toContain('password: "********"');
      await expect(section.textContent()).resolves.not.toContain(PASSWORD_B64);
      await live.scrollIntoViewIfNeeded();
      await browser.shot('desired-and-live-secret');

      const tree = section.getByRole('list', { name: 'Resource tree' });
      const replicaSets = tree.getByRole('list', { name: 'Owned by Deployment pay' });
      await replicaSets.getByText('pay-7d4b9c', { exact: true }).waitFor();
      const pods = replicaSets.getByRole('list', { name: 'Owned by ReplicaSet pay-7d4b9c' });
      await pods.getByText('pay-7d4b9c-x2k9q', { exact: true }).waitFor();
      await pods.getByText('Healthy').waitFor();
      await pods.getByRole('button', { name: 'Show events of Pod pay-7d4b9c-x2k9q' }).click();
      const events = pods.getByRole('list', { name: 'Events of Pod pay-7d4b9c-x2k9q' });
      await events.getByText('BackOff').waitFor();
      await expect(events.textContent()).resolves.toContain('Back-off pulling image');
      await tree.scrollIntoViewIfNeeded();
      await browser.shot('resource-tree');
      // The open live view, tree and events included, passes axe in both themes.
      await expect(axeViolations(page)).resolves.toEqual([]);
      await page.getByRole('button', { name: /Switch to dark theme/ }).click();
      await page.waitForFunction(() => document.documentElement.classList.contains('dark'));
      await expect(axeViolations(page)).resolves.toEqual([]);
      await browser.shot('resource-tree-dark');
      expect(browser.pageErrors).toEqual([]);
    });
  });
});
