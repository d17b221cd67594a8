import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { SecretBox } from '@flotilla/core';
import { startKubeSim, type KubeSim } from '@flotilla/kube-sim';
import {
  createBareRepo,
  runTestGit,
  serveGitHttp,
  startGithubServer,
  testPki,
  type BareRepo,
  type GithubServer,
  type GitHttpServer,
  type Platform,
} from '@flotilla/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { errorLogLines, openBrowser, signIn, type BrowserSession } from './harness/browser.ts';
import { apiJson, startFastPlatform } from './harness/platform.ts';

const TOKEN = 'ghp_preview_journey_token';
const WEBHOOK_SECRET = 'preview-journey-webhook-secret';
const PUBLIC_URL = 'https://flotilla.journey.test';

const fleetYaml = (prodReplicas: number) => `defaultNamespace: default
helm:
  releaseName: web
  values:
    replicas: 1
targetCustomizations:
  - name: prod
    clusterSelector:
      matchLabels: { env: prod }
    helm:
      values:
        replicas: ${prodReplicas}
`;

/**
 * Issue 13, pull-request previews in the dashboard: a signed pull_request event for a PR that
 * raises prod's replicas, the "Pull requests" page listing it with its check conclusion and the
 * one cluster it affects, and the preview page showing that field's diff.
 */
describe('pull requests: the open previews and one preview diff', () => {
  let sim: KubeSim;
  let platform: Platform;
  let github: GithubServer;
  let repo: BareRepo;
  let gitServer: GitHttpServer;
  let browser: BrowserSession;
  let headSha: string;

  beforeAll(async () => {
    const pki = testPki();
    [sim, platform, github, repo] = await Promise.all([
      startKubeSim({
        clusters: [{ name: 'pr-dev' }, { name: 'pr-prod' }],
        tls: {
          cert: readFileSync(pki.serverCertFile),
          key: readFileSync(pki.serverKeyFile),
          ca: readFileSync(pki.caCertFile),
        },
        deploymentReadyDelayMs: 200,
      }),
      startFastPlatform({ FLOTILLA_PUBLIC_URL: PUBLIC_URL }),
      startGithubServer(),
      createBareRepo({
        'web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
        'web/templates/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: {{ .Values.replicas }}
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: app
          image: registry.example/web:1
`,
        'web/fleet.yaml': fleetYaml(2),
      }),
    ]);
    github.addToken(TOKEN);
    gitServer = await serveGitHttp({ root: repo.root });
    for (const [index, cluster] of sim.clusters.entries()) {
      await apiJson(platform, '/api/v1/clusters', {
        json: {
          name: cluster.name,
          labels: { env: index === 0 ? 'dev' : 'prod' },
          apiServerUrl: cluster.url,
          caData: cluster.caData,
          token: cluster.token,
        },
      });
    }
    const gitRepo = await apiJson<{ id: string }>(platform, '/api/v1/gitrepos', {
      json: {
        name: 'fleet',
        url: gitServer.url(repo.name),
        webhookSecret: WEBHOOK_SECRET,
        targets: [{ clusterSelector: 'env=dev' }, { clusterSelector: 'env=prod' }],
      },
    });
    const { db } = platform.database;
    const row = await db.gitRepo.findUniqueOrThrow({ where: { id: gitRepo.id } });
    const connectionId = `ghc${randomBytes(8).toString('hex')}`;
    await db.githubConnection.create({
      data: {
        id: connectionId,
        workspaceId: row.workspaceId,
        gitRepoId: gitRepo.id,
        authKind: 'token',
        baseUrl: github.url,
        owner: 'acme',
        repo: 'fleet',
        credential: new SecretBox(platform.secretKey).seal({ token: TOKEN }, connectionId),
      },
    });
    await vi.waitFor(
      async () => {
        const applied = await db.bundleDeployment.count({
          where: { desiredHash: { not: null }, appliedHash: { not: null } },
        });
        if (applied !== 2) throw new Error(`${applied}/2 deployments applied`);
      },
      { timeout: 90_000, interval: 500 },
    );
    // The PR: prod's replicas 2 → 5, on a branch and under refs/pull/1/head as GitHub keeps it.
    const baseSha = await repo.head();
    await runTestGit(['--git-dir', repo.dir, 'update-ref', 'refs/heads/more-replicas', baseSha]);
    headSha = await repo.commit(
      { 'web/fleet.yaml': fleetYaml(5) },
      { message: 'more replicas in prod', branch: 'more-replicas' },
    );
    await runTestGit(['--git-dir', repo.dir, 'update-ref', 'refs/pull/1/head', headSha]);
    const payload = JSON.stringify({
      action: 'opened',
      number: 1,
      pull_request: {
        title: 'More replicas in prod',
        head: {
          sha: headSha,
          ref: 'more-replicas',
          repo: { full_name: 'acme/fleet', clone_url: gitServer.url(repo.name) },
        },
        base: {
          sha: baseSha,
          ref: 'main',
          repo: { full_name: 'acme/fleet', clone_url: gitServer.url(repo.name) },
        },
      },
      repository: {
        full_name: 'acme/fleet',
        clone_url: gitServer.url(repo.name),
        html_url: gitServer.url(repo.name),
      },
    });
    const response = await fetch(`${platform.url}/api/v1/webhooks/github`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'pull_request',
        'x-github-delivery': randomBytes(8).toString('hex'),
        'x-hub-signature-256': `sha256=${createHmac('sha256', WEBHOOK_SECRET).update(payload).digest('hex')}`,
      },
      body: payload,
    });
    expect(response.status).toBe(202);
    browser = await openBrowser('pull-requests');
    await signIn(browser, platform);
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
    await github?.close();
    await gitServer?.stop();
    await sim?.stop();
    await repo?.remove();
  });

  it('lists the open preview with its check, and shows the replica diff on its page', async () => {
    browser.shotOnFailure();
    const { page } = browser;
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Pull requests' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Pull requests' }).waitFor();
    const row = page
      .getByRole('table', { name: 'Open pull requests' })
      .getByTestId('pull-request-row')
      .filter({ hasText: '#1 More replicas in prod' });
    // The list refreshes itself: the check turns from pending to success.
    await row.filter({ hasText: 'success' }).waitFor({ timeout: 90_000 });
    const rowText = (await row.textContent()) ?? '';
    expect(rowText).toContain('fleet');
    expect(rowText).toContain(headSha.slice(0, 8));
    expect(rowText).toContain('web');
    expect(rowText).toContain('1: pr-prod');
    expect(rowText).not.toContain('pr-dev');
    await browser.shot('pull-requests-list');

    await row.getByRole('link', { name: '#1 More replicas in prod' }).click();
    await page.getByRole('heading', { level: 1, name: '#1 More replicas in prod' }).waitFor();
    const diff = page.getByRole('figure').filter({ hasText: 'prod: Deployment default/web' });
    await diff.waitFor();
    const lines = await diff.locator('[data-diff-line]').allTextContents();
    expect(lines).toContain('-desired now:   replicas: 2');
    expect(lines).toContain('+with the pull request:   replicas: 5');
    expect(await diff.textContent()).toContain('on pr-prod');
    await browser.shot('pull-request-diff');

    // The same preview went to GitHub linking back here: a commit status of the check's name,
    // since GitHub lets only Apps write check runs and this repo is connected with a token.
    expect(github.statuses('acme', 'fleet', headSha)).toMatchObject([
      {
        state: 'success',
        context: 'Flotilla preview',
        description: '1 bundle changed on 1 cluster',
        target_url: `${PUBLIC_URL}${new URL(page.url()).pathname}`,
      },
    ]);
    expect(github.checkRuns()).toEqual([]);
    expect(errorLogLines(platform.webLog())).toEqual([]);
  });
});
