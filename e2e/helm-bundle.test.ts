import { readFileSync } from 'node:fs';
import { startKubeSim, type KubeSim } from '@flotilla/kube-sim';
import { createBareRepo, testPki, type BareRepo, type Platform } from '@flotilla/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { errorLogLines, openBrowser, signIn, type BrowserSession } from './harness/browser.ts';
import { apiJson, startFastPlatform } from './harness/platform.ts';

/** A secret in the values: it must reach the cluster and never the dashboard or the API. */
const DB_PASSWORD = 'pw-never-shown-7f3a';
const CHART_PATH = 'web/chart';

const FLEET_YAML = (prodValues: string) => `defaultNamespace: web
helm:
  chart: ./chart
  releaseName: web
  values:
    greeting: hello
    database:
      host: db.internal
      password: ${DB_PASSWORD}
targetCustomizations:
  - name: prod
    clusterSelector:
      matchLabels: { env: prod }
    helm:
      values:
${prodValues}`;

const FILES: Record<string, string> = {
  'web/fleet.yaml': FLEET_YAML('        replicaCount: 2\n'),
  [`${CHART_PATH}/Chart.yaml`]: 'apiVersion: v2\nname: web\nversion: 1.2.3\nappVersion: "2.0"\n',
  [`${CHART_PATH}/values.yaml`]: 'greeting: default\nreplicaCount: 1\ningress:\n  enabled: false\n',
  [`${CHART_PATH}/templates/configmap.yaml`]: `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-settings
data:
  greeting: {{ .Values.greeting | quote }}
  replicas: {{ .Values.replicaCount | quote }}
  dbHost: {{ .Values.database.host | quote }}
`,
  [`${CHART_PATH}/templates/ingress.yaml`]: `{{- if .Values.ingress.enabled }}
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {{ .Release.Name }}
spec:
  rules:
    - host: {{ required "ingress.host is required when ingress.enabled" .Values.ingress.host }}
{{- end }}
`,
};

/** Where `required` fails in the chart above, as Helm names it. */
const FAILING_TEMPLATE = 'web/templates/ingress.yaml:8:15';

interface Item {
  id: string;
  name: string;
}

/** The bundle page previews its targets: wait for it before leaving, or the request is cut. */
async function waitForTargetsPreview(page: BrowserSession['page']): Promise<void> {
  await page.getByTestId('targets-preview').getByText('Selected clusters (2)').waitFor();
}

/**
 * Issue 11, item 8: a Helm bundle in the dashboard. The bundle and a deployment show the chart
 * (name, version, source) and the values in effect for the cluster's customization with the
 * password masked; a commit whose prod values break a template shows that template's file and
 * line on the bundle and on the prod deployment, while dev keeps rendering.
 */
describe('helm: chart, values and render errors in the dashboard', () => {
  let sim: KubeSim;
  let platform: Platform;
  let repo: BareRepo;
  let browser: BrowserSession;
  let gitRepoId: string;
  let bundleId: string;
  let prodDeploymentId: string;

  beforeAll(async () => {
    const pki = testPki();
    [sim, platform, repo] = await Promise.all([
      startKubeSim({
        clusters: [{ name: 'helm-dev' }, { name: 'helm-prod' }],
        tls: {
          cert: readFileSync(pki.serverCertFile),
          key: readFileSync(pki.serverKeyFile),
          ca: readFileSync(pki.caCertFile),
        },
        deploymentReadyDelayMs: 200,
      }),
      startFastPlatform(),
      createBareRepo(FILES),
    ]);
    for (const cluster of sim.clusters) {
      await apiJson(platform, '/api/v1/clusters', {
        json: {
          name: cluster.name,
          labels: { env: cluster.name.replace('helm-', '') },
          apiServerUrl: cluster.url,
          caData: cluster.caData,
          token: cluster.token,
        },
      });
    }
    const gitRepo = await apiJson<Item>(platform, '/api/v1/gitrepos', {
      json: {
        name: 'charts',
        url: repo.url,
        paths: ['web'],
        targets: [{ clusterSelector: 'env in (dev,prod)' }],
      },
    });
    gitRepoId = gitRepo.id;
    bundleId = await vi.waitFor(
      async () => {
        const found = await apiJson<{ bundles: Item[] }>(
          platform,
          `/api/v1/gitrepos/${gitRepo.id}`,
        );
        if (!found.bundles[0]) throw new Error('the bundle is not discovered yet');
        return found.bundles[0].id;
      },
      { timeout: 60_000, interval: 300 },
    );
    prodDeploymentId = await vi.waitFor(
      async () => {
        const { items } = await apiJson<{
          items: { id: string; clusterName: string; state: string }[];
        }>(platform, `/api/v1/bundles/${bundleId}/deployments`);
        const prod = items.find((item) => item.clusterName === 'helm-prod');
        if (items.length < 2 || items.some((item) => item.state !== 'Ready') || !prod)
          throw new Error(`not Ready yet: ${JSON.stringify(items)}`);
        return prod.id;
      },
      { timeout: 90_000, interval: 500 },
    );
    browser = await openBrowser('helm-bundle');
    await signIn(browser, platform);
  });

  afterAll(async () => {
    if (process.env.FLOTILLA_TEST_DEBUG) console.log(`WEB\n${platform?.webLog().slice(-12000)}`);
    await browser?.close();
    await platform?.stop();
    await sim?.stop();
    await repo?.remove();
  });

  it('answers the chart and masked values from the API, never the password', async () => {
    const response = await platform.api(`/api/v1/bundles/${bundleId}`);
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(text).not.toContain(DB_PASSWORD);
    const bundle = JSON.parse(text) as {
      renders: { customization: string; chart: unknown; values: unknown; error: unknown }[];
    };
    expect(bundle.renders.map((render) => render.customization)).toEqual(['', 'prod']);
    expect(bundle.renders[1]).toMatchObject({
      chart: {
        name: 'web',
        version: '1.2.3',
        appVersion: '2.0',
        source: { kind: 'folder', path: CHART_PATH },
      },
      values: {
        greeting: 'hello',
        replicaCount: 2,
        database: { host: 'db.internal', password: '*****' },
      },
      error: null,
    });
  });

  it('shows the chart and the values of each customization on the bundle page', async () => {
    browser.shotOnFailure();
    const { page } = browser;
    await page.goto(`${platform.url}/bundles/${bundleId}`);
    await page.getByRole('heading', { level: 1, name: 'web' }).waitFor();
    const section = page.getByRole('region', { name: 'Helm chart and values' });
    const prod = section.getByTestId('chart-values-prod');
    await expect(prod.getByTestId('chart-name').textContent()).resolves.toBe('web 1.2.3 (app 2.0)');
    await expect(prod.getByTestId('chart-source').textContent()).resolves.toBe(
      `folder ${CHART_PATH}`,
    );
    const values = JSON.parse((await prod.getByTestId('chart-values').textContent()) ?? '');
    expect(values).toEqual({
      greeting: 'hello',
      replicaCount: 2,
      database: { host: 'db.internal', password: '*****' },
    });
    const defaults = section.getByTestId('chart-values-defaults');
    await expect(defaults.getByTestId('chart-values').textContent()).resolves.not.toContain(
      'replicaCount',
    );
    expect(await page.content()).not.toContain(DB_PASSWORD);
    await expect(page.getByTestId('render-error').count()).resolves.toBe(0);
    await browser.shot('bundle-chart-values');
    await waitForTargetsPreview(page);
  });

  it("shows the prod deployment's chart and values in effect", async () => {
    browser.shotOnFailure();
    const { page } = browser;
    await page.goto(`${platform.url}/deployments/${prodDeploymentId}`);
    await page.getByRole('heading', { level: 1, name: 'web on helm-prod' }).waitFor();
    const section = page.getByRole('region', { name: 'Helm chart and values' });
    await expect(section.getByTestId('chart-name').textContent()).resolves.toBe(
      'web 1.2.3 (app 2.0)',
    );
    await expect(section.getByTestId('chart-values').textContent()).resolves.toContain(
      '"password": "*****"',
    );
    await expect(section.getByTestId('chart-values').textContent()).resolves.toContain(
      '"replicaCount": 2',
    );
    expect(await page.content()).not.toContain(DB_PASSWORD);
    await browser.shot('deployment-chart-values');
  });

  it('names the failing template file and line when a commit breaks the prod values', async () => {
    browser.shotOnFailure();
    const { page } = browser;
    await repo.commit(
      {
        'web/fleet.yaml': FLEET_YAML(
          '        replicaCount: 2\n        ingress: { enabled: true }\n',
        ),
      },
      { message: 'prod: enable the ingress (without a host)' },
    );
    await apiJson(platform, `/api/v1/gitrepos/${gitRepoId}/sync`, { method: 'POST' });
    // The render runs in the worker after the sync; open the page once it has an outcome
    // (reloading while the page's own requests are in flight would abort them).
    await vi.waitFor(
      async () => {
        const { renders } = await apiJson<{ renders: { error: unknown }[] }>(
          platform,
          `/api/v1/bundles/${bundleId}`,
        );
        if (!renders.some((render) => render.error)) throw new Error('no render error yet');
      },
      { timeout: 90_000, interval: 500 },
    );
    await page.goto(`${platform.url}/bundles/${bundleId}`);
    await page.getByRole('heading', { level: 1, name: 'web' }).waitFor();
    const alert = page.getByTestId('render-error');
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toContain('prod failed to render');
    await expect(alert.getByTestId('template-location').textContent()).resolves.toBe(
      FAILING_TEMPLATE,
    );
    await expect(alert.textContent()).resolves.toContain(
      'ingress.host is required when ingress.enabled',
    );
    await browser.shot('bundle-render-error');
    await waitForTargetsPreview(page);

    await page.goto(`${platform.url}/deployments/${prodDeploymentId}`);
    await page.getByRole('heading', { level: 1, name: 'web on helm-prod' }).waitFor();
    const deploymentAlert = page.getByTestId('render-error');
    await deploymentAlert.waitFor();
    await expect(deploymentAlert.getByTestId('template-location').textContent()).resolves.toBe(
      FAILING_TEMPLATE,
    );
    await expect(deploymentAlert.textContent()).resolves.toContain(
      'this cluster keeps its last good revision',
    );
    // The values in effect are still those of the revision the cluster runs.
    await expect(
      page
        .getByRole('region', { name: 'Helm chart and values' })
        .getByTestId('chart-values')
        .textContent(),
    ).resolves.not.toContain('ingress');
    await browser.shot('deployment-render-error');
  });

  it('kept the browser console and the web log free of errors', () => {
    expect(browser.consoleErrors).toEqual([]);
    expect(browser.pageErrors).toEqual([]);
    expect(browser.dialogs).toEqual([]);
    expect(errorLogLines(platform.webLog())).toEqual([]);
  });
});
