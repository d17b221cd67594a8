import {
  createBareRepo,
  startTestClusters,
  type BareRepo,
  type Platform,
  type TestClusters,
  waitFor,
} from '@flotilla/testkit';
import { createRequire } from 'node:module';
import type { AxeResults } from 'axe-core';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorLogLines, openBrowser, signIn, type BrowserSession } from './harness/browser.ts';
import { apiJson, startFastPlatform } from './harness/platform.ts';

const VIEWPORTS = [
  { name: 'desktop', width: 1440, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const;

/** One bundle folder per viewport, each in its own namespace, so the two journeys never meet. */
function bundleFiles(color: string): Record<string, string> {
  return Object.fromEntries(
    VIEWPORTS.flatMap(({ name }) => [
      [`${name}/flotilla.yaml`, `defaultNamespace: edit-${name}\n`],
      [
        `${name}/configmap.yaml`,
        [
          'apiVersion: v1',
          'kind: ConfigMap',
          'metadata:',
          `  name: ${name}-settings`,
          'data:',
          `  color: ${color}`,
          '',
        ].join('\n'),
      ],
    ]),
  );
}

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** axe's WCAG 2.2 A/AA rules on what is on screen now (an open dialog included): rule and targets. */
async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE_PATH });
  const results = await page.evaluate(
    (tags) =>
      (
        window as unknown as {
          axe: { run: (context: unknown, options: unknown) => Promise<AxeResults> };
        }
      ).axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
    ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'],
  );
  return results.violations.map(
    (violation) =>
      `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
  );
}

interface ClusterRow {
  id: string;
  name: string;
  connectivity: { state: string; message: string };
}

/**
 * Issue 16: edits show their impact and everything created can be edited. At a desktop and a
 * phone size: narrow a bundle's targets (the preview names the cluster it loses, saving asks
 * first, the deployment goes), move a repository to another branch (it fetches that branch's
 * commit), and replace a cluster's token (never shown again; a wrong one turns it Offline with
 * the reason, the right one brings it back Online).
 */
describe('edit forms: targets impact, repo branch, cluster token', () => {
  let envtest: TestClusters;
  let platform: Platform;
  let repo: BareRepo;
  let releaseCommit: string;
  const clusterIds: Record<string, string> = {};

  beforeAll(async () => {
    [envtest, platform, repo] = await Promise.all([
      startTestClusters(2, { names: ['edit-prod', 'edit-dev'], isAudited: false }),
      startFastPlatform(),
      createBareRepo(bundleFiles('blue')),
    ]);
    // A second branch whose head differs from main's.
    releaseCommit = await repo.commit(bundleFiles('green'), {
      message: 'release',
      branch: 'release',
    });
    // A group of the prod cluster, which each repository also targets by name.
    await apiJson(platform, '/api/v1/cluster-groups', {
      json: { name: 'prod-group', selector: 'env=prod', labels: { tier: 'gold' } },
    });
    for (const [index, env] of ['prod', 'dev'].entries()) {
      const cluster = envtest.clusters[index]!;
      const created = await apiJson<{ id: string }>(platform, '/api/v1/clusters', {
        json: {
          name: cluster.name,
          labels: { env },
          apiServerUrl: cluster.url,
          caData: cluster.caData,
          token: cluster.token,
        },
      });
      clusterIds[cluster.name] = created.id;
    }
    await waitFor(
      'both clusters Online',
      async () =>
        (await apiJson<{ items: ClusterRow[] }>(platform, '/api/v1/clusters')).items.every(
          (cluster) => cluster.connectivity.state === 'Online',
        ) || undefined,
      { timeoutMs: 60_000, intervalMs: 500 },
    );
  });

  afterAll(async () => {
    await platform?.stop();
    await envtest?.stopAll();
    await repo?.remove();
  });

  describe.each(VIEWPORTS)('at $name size ($width x $height)', ({ name, width, height }) => {
    let browser: BrowserSession;
    let gitRepoId: string;
    let bundleId: string;

    beforeAll(async () => {
      // The repository deploys its folder to every cluster, as a team would have set it up.
      const created = await apiJson<{ id: string }>(platform, '/api/v1/gitrepos', {
        json: {
          name: `edit-${name}`,
          url: repo.url,
          paths: [name],
          targets: [{ clusterSelector: {} }, { clusterGroup: 'prod-group' }],
        },
      });
      gitRepoId = created.id;
      bundleId = await waitFor(
        'the repository to find its bundle',
        async () =>
          (await apiJson<{ bundles: { id: string }[] }>(platform, `/api/v1/gitrepos/${gitRepoId}`))
            .bundles[0]?.id,
        { timeoutMs: 60_000, intervalMs: 500 },
      );
      await waitFor(
        'a deployment on each cluster',
        async () =>
          (await apiJson<{ items: unknown[] }>(platform, `/api/v1/bundles/${bundleId}/deployments`))
            .items.length === 2 || undefined,
        { timeoutMs: 60_000, intervalMs: 500 },
      );
      browser = await openBrowser(`edit-forms-${name}`, { width, height });
      await signIn(browser, platform);
    });

    afterAll(async () => {
      await browser?.close();
    });

    it('opens the cluster group page: its clusters and the bundles that target it', async () => {
      browser.shotOnFailure();
      const { page } = browser;
      await page.goto(`${platform.url}/cluster-groups`);
      await page.getByRole('link', { name: 'prod-group' }).click();
      await page.getByRole('heading', { level: 1, name: 'prod-group' }).waitFor();
      const members = page.getByRole('table', { name: 'Clusters in this group' });
      await members.getByRole('link', { name: 'edit-prod' }).waitFor();
      await expect(members.getByTestId('group-cluster-row').count()).resolves.toBe(1);
      const bundles = page.getByRole('table', { name: 'Bundles targeting this group' });
      const row = bundles.getByTestId('group-bundle-row').filter({ hasText: `edit-${name}` });
      await expect(row.textContent()).resolves.toContain("target 2 of the repository's");
      await browser.shot('group-detail');
      await expect(axeViolations(page)).resolves.toEqual([]);
      await page.getByRole('button', { name: /Switch to dark theme/ }).click();
      await expect(axeViolations(page)).resolves.toEqual([]);
      await page.getByRole('button', { name: /Switch to light theme/ }).click();
      await row.getByRole('link', { name, exact: true }).click();
      await page.getByRole('heading', { level: 1, name }).waitFor();
    });

    it('previews the clusters a target edit loses, confirms naming them, then removes the deployment', async () => {
      browser.shotOnFailure();
      const { page } = browser;
      await page.goto(`${platform.url}/bundles/${bundleId}`);
      await page.getByRole('heading', { level: 1, name }).waitFor();
      const deployments = page.getByRole('table', { name: 'Clusters of this bundle' });
      await deployments.getByRole('link', { name: 'edit-dev' }).waitFor();
      await deployments.getByRole('link', { name: 'edit-prod' }).waitFor();

      await page.getByLabel("Use the repository's targets", { exact: true }).uncheck();
      const target = page.getByTestId('target-card').first();
      await expect(target.getByTestId('target-explanation').textContent()).resolves.toBe(
        'Selects every cluster.',
      );
      const preview = page.getByTestId('targets-preview');
      await preview.getByText('No change: the same clusters get the bundle').waitFor();

      await target.getByLabel('Every cluster', { exact: true }).uncheck();
      await target.getByLabel('Cluster selector', { exact: true }).fill('env=prod');
      await target.getByLabel('Cluster name', { exact: true }).fill('edit-prod');
      // Each target says how its fields combine.
      await expect(target.getByTestId('target-explanation').textContent()).resolves.toBe(
        'Selects a cluster only if it is named "edit-prod" and has labels matching env=prod (all must hold).',
      );
      await preview.getByText('Will lose the bundle (1): edit-dev').waitFor();
      await preview.getByText('Selected clusters (1)').waitFor();
      await browser.shot('targets-impact');
      await page.getByRole('button', { name: /Switch to dark theme/ }).click();
      await expect(axeViolations(page)).resolves.toEqual([]);
      await page.getByRole('button', { name: /Switch to light theme/ }).click();

      await page.getByRole('button', { name: 'Save targets' }).click();
      const confirm = page.getByRole('dialog', { name: 'Remove the bundle from 1 cluster?' });
      await confirm.waitFor();
      await expect(confirm.textContent()).resolves.toContain('edit-dev stops getting this bundle');
      await browser.shot('targets-confirm');
      await expect(axeViolations(page)).resolves.toEqual([]);
      // Cancelling saves nothing: the bundle still uses the repository's targets.
      await confirm.getByRole('button', { name: 'Cancel' }).click();
      await expect(
        apiJson<{ inherited: boolean }>(platform, `/api/v1/bundles/${bundleId}/targets`),
      ).resolves.toMatchObject({ inherited: true });

      await page.getByRole('button', { name: 'Save targets' }).click();
      await confirm.getByRole('button', { name: 'Remove and save' }).click();
      await page.getByText('Targets saved').waitFor();
      await deployments
        .getByRole('link', { name: 'edit-dev' })
        .waitFor({ state: 'detached', timeout: 60_000 });
      await expect(deployments.getByRole('link', { name: 'edit-prod' }).count()).resolves.toBe(1);
      await browser.shot('targets-saved');
    });

    it("asks before going back to the repository's targets when they select fewer clusters", async () => {
      browser.shotOnFailure();
      const { page } = browser;
      // The bundle's own targets select every cluster; the repository's only edit-prod.
      await apiJson(platform, `/api/v1/bundles/${bundleId}/targets`, {
        method: 'PUT',
        json: { targets: [{ clusterSelector: {} }] },
      });
      const repoTargets = [{ clusterSelector: {} }, { clusterGroup: 'prod-group' }];
      await apiJson(platform, `/api/v1/gitrepos/${gitRepoId}`, {
        method: 'PATCH',
        json: { targets: [{ clusterName: 'edit-prod' }] },
      });
      await page.goto(`${platform.url}/bundles/${bundleId}`);
      await page.getByRole('heading', { level: 1, name }).waitFor();
      const deployments = page.getByRole('table', { name: 'Clusters of this bundle' });
      await deployments.getByRole('link', { name: 'edit-dev' }).waitFor({ timeout: 60_000 });

      const useRepo = page.getByLabel("Use the repository's targets", { exact: true });
      await expect(useRepo.isChecked()).resolves.toBe(false);
      await useRepo.check();
      const switchBack = page.getByRole('button', { name: "Use the repository's targets" });
      await switchBack.click();
      const confirm = page.getByRole('dialog', { name: 'Remove the bundle from 1 cluster?' });
      await confirm.waitFor();
      await expect(confirm.textContent()).resolves.toContain('edit-dev stops getting this bundle');
      await browser.shot('targets-back-to-repo-confirm');
      await expect(axeViolations(page)).resolves.toEqual([]);
      // Cancelling keeps the bundle's own targets.
      await confirm.getByRole('button', { name: 'Cancel' }).click();
      await confirm.waitFor({ state: 'detached' });
      await expect(
        apiJson<{ inherited: boolean }>(platform, `/api/v1/bundles/${bundleId}/targets`),
      ).resolves.toMatchObject({ inherited: false });

      await switchBack.click();
      await confirm.getByRole('button', { name: 'Remove and save' }).click();
      await page.getByText('Targets saved').waitFor();
      await expect(
        apiJson<{ inherited: boolean }>(platform, `/api/v1/bundles/${bundleId}/targets`),
      ).resolves.toMatchObject({ inherited: true });
      await deployments
        .getByRole('link', { name: 'edit-dev' })
        .waitFor({ state: 'detached', timeout: 60_000 });
      // The repository's targets as the other tests know them.
      await apiJson(platform, `/api/v1/gitrepos/${gitRepoId}`, {
        method: 'PATCH',
        json: { targets: repoTargets },
      });
    });

    it("edits the repository's branch and shows the new branch's commit once fetched", async () => {
      browser.shotOnFailure();
      const { page } = browser;
      await page.goto(`${platform.url}/gitrepos/${gitRepoId}`);
      await page.getByRole('heading', { level: 1, name: `edit-${name}` }).waitFor();
      await page.getByRole('button', { name: 'Edit', exact: true }).click();
      const form = page.getByRole('form', { name: 'Edit repository' });
      await expect(form.getByLabel('Branch', { exact: true }).inputValue()).resolves.toBe('main');
      await form.getByLabel('Branch', { exact: true }).fill('no such branch');
      await form.getByRole('button', { name: 'Save changes' }).click();
      // The server's message lands next to the field, in words.
      await form.getByText('is not a valid git branch or revision').waitFor();
      await browser.shot('repo-branch-error');
      await expect(axeViolations(page)).resolves.toEqual([]);

      // A valid name without a branch behind it: the fetch fails, said once, in the banner.
      await form.getByLabel('Branch', { exact: true }).fill('no-such-branch');
      await form.getByRole('button', { name: 'Save changes' }).click();
      await form.waitFor({ state: 'detached' });
      const failure = page.getByRole('alert').filter({ hasText: 'The last fetch failed' });
      await failure.waitFor({ timeout: 60_000 });
      // The branch and the URL are named once, not again in git's own words.
      await expect(failure.textContent()).resolves.toMatch(
        /fetch failed: branch "no-such-branch" not found in file:\/\/\S+$/,
      );
      await expect(page.getByText('Fetching: the commit').count()).resolves.toBe(0);
      const facts = page.getByRole('region', { name: 'Repository', exact: true });
      await expect(facts.getByText('Message', { exact: true }).count()).resolves.toBe(0);
      await browser.shot('repo-branch-missing');

      await page.getByRole('button', { name: 'Edit', exact: true }).click();
      await form.getByLabel('Branch', { exact: true }).fill('release');
      // Test connection asks the worker (git ls-remote) before anything is saved.
      await form.getByRole('button', { name: 'Test connection' }).click();
      await form
        .getByRole('status')
        .getByText(`Connected: branch "release" is at ${releaseCommit.slice(0, 12)}`)
        .waitFor();
      await form.getByRole('button', { name: 'Save changes' }).click();
      await form.waitFor({ state: 'detached' });
      await page
        .getByText(`Fetched branch release at commit ${releaseCommit.slice(0, 7)}`)
        .waitFor({ timeout: 60_000 });
      await page.getByText('branch release', { exact: true }).waitFor();
      await browser.shot('repo-branch-fetched');
      await expect(
        apiJson<{ commit: string; branch: string }>(platform, `/api/v1/gitrepos/${gitRepoId}`),
      ).resolves.toMatchObject({ commit: releaseCommit, branch: 'release' });
    });

    it("replaces a cluster's token: never shown again, a wrong one is Offline with the reason, the right one Online", async () => {
      browser.shotOnFailure();
      const { page } = browser;
      const cluster = envtest.clusters[0]!;
      await page.goto(`${platform.url}/clusters/${clusterIds[cluster.name]}`);
      await page.getByRole('heading', { level: 1, name: cluster.name }).waitFor();
      const facts = page.getByRole('region', { name: 'Cluster', exact: true });
      await facts.getByText('Online').first().waitFor();

      await page.getByRole('button', { name: 'Edit connection' }).click();
      let form = page.getByRole('form', { name: 'Edit cluster connection' });
      const tokenField = form.getByLabel('New bearer token', { exact: true });
      await expect(tokenField.inputValue()).resolves.toBe('');
      await form.getByText('A token is set and is never shown').waitFor();
      await tokenField.fill('a-wrong-token');
      // Testing first saves nothing and says what the API server answered.
      await form.getByRole('button', { name: 'Test connection' }).click();
      await form
        .getByText('Could not connect: credentials rejected (401 from the API server)')
        .waitFor();
      await browser.shot('cluster-token-tested');
      await expect(axeViolations(page)).resolves.toEqual([]);
      await form.getByRole('button', { name: 'Save connection' }).click();
      await page.getByText('Connection saved').waitFor();
      await facts.getByText(/credentials rejected \(401 from the API server\)/).waitFor({
        timeout: 30_000,
      });
      await facts.getByText('Offline').first().waitFor();
      await browser.shot('cluster-token-wrong');

      await page.getByRole('button', { name: 'Edit connection' }).click();
      form = page.getByRole('form', { name: 'Edit cluster connection' });
      // The stored (wrong) token is not shown back either.
      await expect(form.getByLabel('New bearer token', { exact: true }).inputValue()).resolves.toBe(
        '',
      );
      await form.getByLabel('New bearer token', { exact: true }).fill(cluster.token);
      await form.getByRole('button', { name: 'Test connection' }).click();
      await form.getByText('Connected: Kubernetes v1.20.2').waitFor();
      await form.getByRole('button', { name: 'Save connection' }).click();
      await form.waitFor({ state: 'detached' });
      await expect
        .poll(() => facts.getByText('Online').count(), { timeout: 30_000 })
        .toBeGreaterThan(0);
      await browser.shot('cluster-token-online');
      // With nothing typed, the worker tests the stored token (the web never opens it).
      await page.getByRole('button', { name: 'Edit connection' }).click();
      form = page.getByRole('form', { name: 'Edit cluster connection' });
      await form.getByRole('button', { name: 'Test connection' }).click();
      await form.getByText('Connected: Kubernetes v1.20.2').waitFor();
      await form.getByRole('button', { name: 'Cancel' }).click();

      const body = await (
        await platform.api(`/api/v1/clusters/${clusterIds[cluster.name]}`)
      ).text();
      expect(body).not.toContain(cluster.token);
      expect(body).not.toContain('a-wrong-token');
    });

    it('kept the browser console free of errors', () => {
      expect(browser.pageErrors).toEqual([]);
      // The one refusal the journey asked for (the invalid branch name, 422).
      expect(
        browser.consoleErrors.filter(
          (line) =>
            !line.includes(
              `status of 422 (Unprocessable Entity) (${platform.url}/api/v1/gitrepos/${gitRepoId})`,
            ),
        ),
      ).toEqual([]);
      expect(browser.dialogs).toEqual([]);
    });
  });

  it('kept the server log free of errors', () => {
    expect(errorLogLines(platform.webLog())).toEqual([]);
  });
});
