import { readFileSync } from 'node:fs';
import { startKubeSim, type KubeSim } from '@flotilla/kube-sim';
import {
  createBareRepo,
  startGithubServer,
  testPki,
  type BareRepo,
  type GithubServer,
  type Platform,
} from '@flotilla/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { errorLogLines, openBrowser, signIn, type BrowserSession } from './harness/browser.ts';
import { apiJson, startFastPlatform } from './harness/platform.ts';

const TOKEN = 'ghp_journey_token_never_shown';
const PUBLIC_URL = 'https://flotilla.journey.test';

const deployment = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: ${image}
`;

/**
 * Issue 13, the GitHub connection in the dashboard: a repo page connected to a (local) GitHub
 * with a token through the form (a bad base URL is named first), the connection shown without
 * the token, and the last commit status turning success once the commit is Ready.
 */
describe('github: connect a repo and see its last commit status', () => {
  let sim: KubeSim;
  let platform: Platform;
  let github: GithubServer;
  let repo: BareRepo;
  let browser: BrowserSession;
  let gitRepoId: string;

  beforeAll(async () => {
    const pki = testPki();
    [sim, platform, github, repo] = await Promise.all([
      startKubeSim({
        clusters: [{ name: 'gh-prod' }],
        tls: {
          cert: readFileSync(pki.serverCertFile),
          key: readFileSync(pki.serverKeyFile),
          ca: readFileSync(pki.caCertFile),
        },
        // A Deployment becomes Available 10 s after each change: long enough to see pending.
        deploymentReadyDelayMs: 10_000,
      }),
      startFastPlatform({
        FLOTILLA_PUBLIC_URL: PUBLIC_URL,
        FLOTILLA_GITHUB_STATUS_RECHECK_SECONDS: '1',
      }),
      startGithubServer(),
      createBareRepo({
        'app/fleet.yaml': 'defaultNamespace: default\n',
        'app/web.yaml': deployment('registry.example/web:1'),
      }),
    ]);
    github.addToken(TOKEN);
    for (const cluster of sim.clusters) {
      await apiJson(platform, '/api/v1/clusters', {
        json: {
          name: cluster.name,
          labels: { env: 'prod' },
          apiServerUrl: cluster.url,
          caData: cluster.caData,
          token: cluster.token,
        },
      });
    }
    gitRepoId = (
      await apiJson<{ id: string }>(platform, '/api/v1/gitrepos', {
        json: { name: 'fleet', url: repo.url, targets: [{ clusterSelector: 'env=prod' }] },
      })
    ).id;
    browser = await openBrowser('github');
    await signIn(browser, platform);
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
    await github?.close();
    await sim?.stop();
    await repo?.remove();
  });

  it('connects through the form and shows the last status turn success', async () => {
    browser.shotOnFailure();
    const { page } = browser;
    await page.goto(`${platform.url}/gitrepos/${gitRepoId}`);
    await page.getByRole('heading', { level: 1, name: 'fleet' }).waitFor();
    const section = page.getByRole('region', { name: 'GitHub' });
    await section.getByText('Not connected.').waitFor();
    await section.getByRole('button', { name: 'Connect to GitHub' }).click();

    const form = page.getByRole('form', { name: 'GitHub connection' });
    await form.getByLabel('Repository on GitHub').fill('acme/fleet');
    await form.getByLabel('API base URL').fill('ftp://github.example');
    await form.getByLabel('Token').fill(TOKEN);
    await form.getByRole('button', { name: 'Save connection' }).click();
    await form.getByText('the GitHub API URL must use https', { exact: false }).waitFor();
    await browser.shot('refused-base-url');

    await form.getByLabel('API base URL').fill(github.url);
    await form.getByRole('button', { name: 'Save connection' }).click();
    await section.getByText('Connected with').waitFor();
    const facts = (await section.textContent()) ?? '';
    expect(facts).toContain('a token');
    expect(facts).toContain(github.url);
    expect(facts).toContain('acme/fleet');
    expect(await page.content()).not.toContain(TOKEN);
    await browser.shot('connected');

    const commit = await repo.head();
    await section
      .getByTestId('github-status-description')
      .filter({ hasText: '1/1 clusters Ready' })
      .waitFor({ timeout: 90_000 });
    expect(await section.textContent()).toContain('✓success1/1 clusters Ready');
    await browser.shot('status-success');

    // A new commit: pending while the Deployment rolls out, then success, on the page.
    const next = await repo.commit(
      { 'app/web.yaml': deployment('registry.example/web:2') },
      { message: 'web 2' },
    );
    await apiJson(platform, `/api/v1/gitrepos/${gitRepoId}/sync`, { method: 'POST' });
    const shortSha = next.slice(0, 8);
    const statusFact = section.getByRole('definition').filter({ hasText: shortSha });
    await statusFact.filter({ hasText: 'pending' }).waitFor({ timeout: 60_000 });
    expect(await statusFact.textContent()).toContain('0/1 clusters Ready, 1 rolling out');
    await browser.shot('status-pending');
    await statusFact.filter({ hasText: 'success' }).waitFor({ timeout: 60_000 });
    expect(await statusFact.textContent()).toContain('1/1 clusters Ready');
    await browser.shot('status-success-next-commit');
    const states = github.statuses('acme', 'fleet', next).map((status) => status.state);
    expect(states[0]).toBe('pending');
    expect(states.at(-1)).toBe('success');
    expect(states).not.toContain('failure');

    // What the page says is what GitHub got: pending first, then success, linking back here.
    const statuses = github.statuses('acme', 'fleet', commit);
    expect(statuses.at(-1)).toMatchObject({
      state: 'success',
      description: '1/1 clusters Ready',
      context: 'flotilla',
      target_url: `${PUBLIC_URL}/gitrepos/${gitRepoId}`,
    });
    expect(github.requests().filter((request) => request.status >= 400)).toEqual([]);
  });

  it('disconnects: the section says so and no secret was ever in the API answers', async () => {
    browser.shotOnFailure();
    const { page } = browser;
    const section = page.getByRole('region', { name: 'GitHub' });
    await section.getByRole('button', { name: 'Disconnect' }).click();
    await section.getByText('Not connected.').waitFor();
    const settings = await apiJson<{ connection: unknown; statuses: unknown[] }>(
      platform,
      `/api/v1/gitrepos/${gitRepoId}/github`,
    );
    expect(settings.connection).toBeNull();
    expect(settings.statuses.length).toBeGreaterThan(0);
    await vi.waitFor(() => expect(errorLogLines(platform.webLog())).toEqual([]));
  });
});
