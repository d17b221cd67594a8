import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  REPO_ROOT,
  createBareRepo,
  kubeConfigFor,
  markDeploymentAvailable,
  startProcess,
  startTestClusters,
  type BareRepo,
  type ManagedProcess,
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
import { apiJson, startFastPlatform } from './harness/platform.ts';

const NAMESPACE = 'shop';

const FILES = {
  'shop/flotilla.yaml': `defaultNamespace: ${NAMESPACE}\n`,
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

/** The token inside an install command: `kubectl apply -f '<url>?token=flr_…'`. */
function tokenOf(installCommand: string): string {
  const url = /^kubectl apply -f '([^']+)'$/.exec(installCommand)?.[1];
  if (!url) throw new Error(`not an install command: ${installCommand}`);
  const token = new URL(url).searchParams.get('token');
  if (!token) throw new Error(`no token in ${url}`);
  return token;
}

/**
 * Issue 12: an agent cluster from the dashboard. Register it in the form, copy the one-time
 * install command, run the real agent with the token it holds against a kube-apiserver
 * Flotilla is never given, and watch the matrix cell turn Ready; then issue a new token and
 * revoke the agent from the cluster's page.
 */
describe('agent clusters: register in the browser, install, deploy, revoke', () => {
  let envtest: TestClusters;
  let platform: Platform;
  let repo: BareRepo;
  let browser: BrowserSession;
  let workDir: string;
  let agent: ManagedProcess | undefined;
  let installCommand = '';

  beforeAll(async () => {
    [envtest, platform, repo] = await Promise.all([
      startTestClusters(1, { names: ['edge-1'] }),
      startFastPlatform(),
      createBareRepo(FILES),
    ]);
    workDir = await mkdtemp(path.join(tmpdir(), 'flotilla-e2e-agent-'));
    await writeFile(
      path.join(workDir, 'kubeconfig'),
      kubeConfigFor(envtest.clusters[0]!).exportConfig(),
      { mode: 0o600 },
    );
    browser = await openBrowser('agent');
    // The Copy button writes to the clipboard; the test reads the command back from there.
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: platform.url,
    });
    await signIn(browser, platform);
  });

  afterAll(async () => {
    await agent?.stop('SIGKILL');
    await browser?.close();
    await platform?.stop();
    await envtest?.stopAll();
    await repo?.remove();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('registers an agent cluster and shows its install command once', async () => {
    browser.shotOnFailure();
    const { page } = browser;
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Clusters' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Clusters' }).waitFor();
    await page.getByRole('button', { name: 'Register a cluster' }).first().click();
    const form = page.getByRole('form', { name: 'Register a cluster' });
    await form.getByRole('radio', { name: 'Agent' }).check();
    // An agent cluster has no URL or credentials to give.
    await expect(form.getByLabel('API server URL', { exact: true }).count()).resolves.toBe(0);
    await form.getByLabel('Name', { exact: true }).fill('edge-1');
    await form.getByLabel('Label 1 key', { exact: true }).fill('site');
    await form.getByLabel('Label 1 value', { exact: true }).fill('edge');
    const expiry = form.getByLabel('Token expires in (hours)', { exact: true });
    await expect(expiry.inputValue()).resolves.toBe('24');
    // The server's limit comes back next to the field it names.
    await expiry.fill('500');
    await form.getByRole('button', { name: 'Register cluster' }).click();
    await expect.poll(() => expiry.getAttribute('aria-invalid')).toBe('true');
    await browser.shot('register-agent-error');
    await expiry.fill('2');
    await browser.shot('register-agent-form');
    await form.getByRole('button', { name: 'Register cluster' }).click();

    const install = page.getByRole('region', { name: 'Install the agent on edge-1' });
    await install.waitFor();
    await expect(install.textContent()).resolves.toContain('shown only this once');
    await expect(install.getByTestId('install-expiry').textContent()).resolves.toMatch(
      /expires in 2 hr/,
    );
    await install.getByRole('button', { name: 'Copy install command' }).click();
    await install.getByText('✓ Copied').waitFor();
    installCommand = await page.evaluate(() => navigator.clipboard.readText());
    await expect(install.getByTestId('install-command').textContent()).resolves.toBe(
      installCommand,
    );
    expect(installCommand).toMatch(
      new RegExp(`^kubectl apply -f '${platform.url}/api/v1/agent/install\\.yaml\\?token=flr_`),
    );
    // The manifest the command applies carries the same token for the agent's Secret.
    const manifest = await fetch(/'([^']+)'/.exec(installCommand)![1]!);
    expect(manifest.status).toBe(200);
    expect(await manifest.text()).toContain(tokenOf(installCommand));

    const row = page.getByTestId('cluster-row').filter({ hasText: 'edge-1' });
    await expect(row.textContent()).resolves.toContain('agent');
    await expect(row.getByTestId('agent-heartbeat').textContent()).resolves.toBe(
      'no heartbeat yet',
    );
    await browser.shot('install-command');

    // Hidden, it is gone for good: nothing on the page or after a reload shows the token again.
    await install.getByRole('button', { name: 'I have copied it, hide it' }).click();
    await expect(page.getByTestId('install-command').count()).resolves.toBe(0);
    await page.reload();
    await row.waitFor();
    await expect(page.content()).resolves.not.toContain(tokenOf(installCommand));
  });

  it('turns the matrix cell Ready once the agent started with that token has applied the bundle', async () => {
    browser.shotOnFailure();
    const { page } = browser;
    agent = startProcess(process.execPath, ['--import', 'tsx', 'apps/agent/src/main.ts'], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH,
        FLOTILLA_URL: platform.url,
        FLOTILLA_AGENT_TOKEN: tokenOf(installCommand),
        FLOTILLA_AGENT_CREDENTIAL_FILE: path.join(workDir, 'credential.json'),
        KUBECONFIG: path.join(workDir, 'kubeconfig'),
        FLOTILLA_AGENT_HEARTBEAT_SECONDS: '1',
        FLOTILLA_AGENT_POLL_WAIT_SECONDS: '5',
        FLOTILLA_AGENT_RESYNC_SECONDS: '2',
        FLOTILLA_LOG_FORMAT: 'json',
      },
    });
    await apiJson(platform, '/api/v1/gitrepos', {
      json: { name: 'shop-repo', url: repo.url, targets: [{ clusterSelector: 'site=edge' }] },
    });

    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Overview' })
      .click();
    await page.getByTestId('fleet-matrix').waitFor({ timeout: 60_000 });
    const hasReloaded = await markDocument(page);
    await page
      .getByRole('link', { name: 'shop on edge-1: NotReady', exact: true })
      .waitFor({ timeout: 90_000 });
    // envtest runs no controllers: the Deployment is Available once its status says so.
    await markDeploymentAvailable(envtest.clusters[0]!, NAMESPACE, 'shop-web');
    const cell = page.getByRole('link', { name: 'shop on edge-1: Ready', exact: true });
    await cell.waitFor({ timeout: 90_000 });
    await expect(cell.textContent()).resolves.toBe('✓Ready');
    await expect(hasReloaded()).resolves.toBe(false);
    await browser.shot('matrix-ready');
  });

  it('lists the cluster as an agent cluster with its version and last heartbeat', async () => {
    browser.shotOnFailure();
    const { page } = browser;
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Clusters' })
      .click();
    const row = page.getByTestId('cluster-row').filter({ hasText: 'edge-1' });
    await expect.poll(() => row.textContent(), { timeout: 60_000 }).toContain('Online');
    await expect(row.textContent()).resolves.toContain('agent 0.1.0');
    const heartbeat = row.getByTestId('agent-heartbeat').locator('time');
    await expect(heartbeat.textContent()).resolves.toMatch(/^heartbeat /);
    // The exact time is in the tooltip.
    await expect(heartbeat.getAttribute('title')).resolves.toMatch(/\d{1,2}:\d{2}:\d{2}/);
    await browser.shot('cluster-list');
  });

  it('issues a new registration token and revokes the agent from the cluster page', async () => {
    browser.shotOnFailure();
    const { page } = browser;
    await page
      .getByTestId('cluster-row')
      .filter({ hasText: 'edge-1' })
      .getByRole('link', { name: 'edge-1' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'edge-1' }).waitFor();
    const facts = page.getByRole('region', { name: 'Cluster', exact: true });
    await expect(facts.textContent()).resolves.toContain('agent: an agent in the cluster');
    await expect(facts.textContent()).resolves.toContain('0.1.0');
    await facts.getByTestId('agent-heartbeat').waitFor();
    await browser.shot('cluster-detail');

    await page.getByRole('button', { name: 'New registration token' }).click();
    const issue = page.getByRole('dialog', { name: 'New registration token for edge-1' });
    await issue.getByLabel('Token expires in (hours)', { exact: true }).fill('1');
    await issue.getByRole('button', { name: 'Issue token' }).click();
    const newCommand = await issue.getByTestId('install-command').textContent();
    expect(tokenOf(newCommand ?? '')).toMatch(/^flr_/);
    expect(tokenOf(newCommand ?? '')).not.toBe(tokenOf(installCommand));
    await expect(issue.getByTestId('install-expiry').textContent()).resolves.toMatch(
      /expires in 1 hr/,
    );
    await browser.shot('new-token');
    await issue.getByRole('button', { name: 'Done' }).click();
    await expect(page.getByTestId('install-command').count()).resolves.toBe(0);

    await page.getByRole('button', { name: 'Revoke agent' }).click();
    const confirm = page.getByRole('dialog', { name: 'Revoke the agent of edge-1?' });
    await confirm.waitFor();
    await browser.shot('revoke-dialog');
    await confirm.getByRole('button', { name: 'Revoke agent' }).click();
    // The agent's credential and the token issued above, which no agent used.
    await page
      .getByText('Revoked the agent of edge-1: 1 credential and 1 unused registration token.')
      .waitFor();
    // Refused from then on, the agent falls silent and the cluster turns Offline, live.
    await expect
      .poll(() => facts.textContent(), { timeout: 60_000, interval: 500 })
      .toContain('Offline');
    await browser.shot('revoked-offline');
  });

  it('kept the browser console and the server log free of errors', () => {
    // The refused expiry (422) is logged by Chromium as a failed load.
    expect(browser.consoleErrors.filter((line) => !/status of 422/.test(line))).toEqual([]);
    expect(browser.pageErrors).toEqual([]);
    expect(browser.dialogs).toEqual([]);
    expect(errorLogLines(platform.webLog())).toEqual([]);
  });
});
