import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createBareRepo,
  OCI_REGISTRY_USER,
  startOciRegistry,
  startPlatform,
  startTestClusters,
  type BareRepo,
  type OciRegistry,
  type Platform,
  type TestClusters,
} from '@flotilla/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { chartArchive, greetingChart } from './chart-archives.ts';
import { json, readObject, registerCluster } from './clusters-api.ts';

const NAMESPACE = 'chart-sources';
const ENVS = ['dev', 'prod'] as const;
const BASIC = `Basic ${Buffer.from(`${OCI_REGISTRY_USER.username}:${OCI_REGISTRY_USER.password}`).toString('base64')}`;

/** fleet.yaml of a bundle whose chart comes from `helm`, with a per-env customization. */
function fleetYaml(release: string, helm: string): string {
  return `defaultNamespace: ${NAMESPACE}
helm:
  releaseName: ${release}
${helm}
  values:
    greeting: ${release}-dev
targetCustomizations:
  - name: prod
    clusterSelector:
      matchLabels: { env: prod }
    helm:
      values:
        greeting: ${release}-prod
`;
}

interface ApiBundle {
  id: string;
  path: string;
  renderError: string;
}

describe('Helm chart sources through the platform: Helm repository, OCI registry, URL and archives in git', () => {
  let envtest: TestClusters;
  let platform: Platform;
  let registry: OciRegistry;
  let charts: Server;
  let repo: BareRepo;
  let gitRepoId: string;
  let chartsUrl: string;
  const chartRequests: { url: string; authorization: string | undefined }[] = [];

  const readGreeting = async (env: (typeof ENVS)[number], name: string) => {
    const object = (await readObject(envtest.clusters[ENVS.indexOf(env)]!, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace: NAMESPACE,
      name,
    })) as { data?: Record<string, string> };
    return object.data;
  };
  const bundles = async () =>
    (await json<{ bundles: ApiBundle[] }>(await platform.api(`/api/v1/gitrepos/${gitRepoId}`)))
      .bundles;

  beforeAll(async () => {
    const greeter = await chartArchive('greeter', greetingChart('greeter', '1.0.0'));
    const newer = await chartArchive('greeter', greetingChart('greeter', '1.1.0'));
    const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
    // A Helm repository behind basic auth (the same credentials as the registry's: one
    // helmSecretName per GitRepo, as in Fleet), which also serves a chart by URL.
    charts = createServer((req, res) => {
      chartRequests.push({ url: req.url ?? '', authorization: req.headers.authorization });
      if (req.headers.authorization !== BASIC) return void res.writeHead(401).end();
      const index = [
        'apiVersion: v1',
        'entries:',
        '  greeter:',
        '    - version: 1.1.0',
        '      urls: [greeter-1.1.0.tgz]',
        `      digest: ${sha256(newer)}`,
        '    - version: 2.0.0',
        '      urls: [greeter-2.0.0.tgz]',
        '',
      ].join('\n');
      const bodies: Record<string, Buffer | string> = {
        '/charts/index.yaml': index,
        '/charts/greeter-1.1.0.tgz': newer,
        '/direct/greeter-1.0.0.tgz': greeter,
      };
      const body = bodies[req.url ?? ''];
      if (body === undefined) res.writeHead(404).end();
      else res.writeHead(200).end(body);
    });
    await new Promise<void>((done) => charts.listen(0, '127.0.0.1', done));
    chartsUrl = `http://127.0.0.1:${(charts.address() as AddressInfo).port}`;

    [envtest, platform, registry] = await Promise.all([
      startTestClusters(2, { names: [...ENVS] }),
      startPlatform({
        env: {
          FLOTILLA_MONITOR_INTERVAL_SECONDS: '2',
          FLOTILLA_PROBE_INTERVAL_SECONDS: '2',
          FLOTILLA_TICK_SECONDS: '1',
          FLOTILLA_SWEEP_INTERVAL_SECONDS: '2',
        },
      }),
      startOciRegistry({ auth: 'htpasswd' }),
    ]);
    await registry.pushChart('charts/greeter', '1.0.0', greeter);

    const parent = {
      'Chart.yaml':
        'apiVersion: v2\nname: parent\nversion: 0.1.0\ndependencies:\n  - name: greeter\n    version: 1.0.0\n',
      'values.yaml': 'greeter:\n  greeting: parent-default\n',
    };
    repo = await createBareRepo({
      'http-repo/fleet.yaml': fleetYaml(
        'from-http',
        `  repo: ${chartsUrl}/charts\n  chart: greeter\n  version: ^1.0.0`,
      ),
      'oci/fleet.yaml': fleetYaml(
        'from-oci',
        `  chart: oci://${registry.host}/charts/greeter\n  version: 1.0.0`,
      ),
      'url/fleet.yaml': fleetYaml('from-url', `  chart: ${chartsUrl}/direct/greeter-1.0.0.tgz`),
      'archive/fleet.yaml': fleetYaml('from-archive', '  chart: ./greeter-1.0.0.tgz'),
      'archive/greeter-1.0.0.tgz': { bytes: greeter },
      // A chart folder whose dependency is an archive in its charts/.
      'folder/fleet.yaml': `defaultNamespace: ${NAMESPACE}
helm:
  releaseName: from-folder
targetCustomizations:
  - name: prod
    clusterSelector:
      matchLabels: { env: prod }
    helm:
      values:
        greeter:
          greeting: from-folder-prod
`,
      ...Object.fromEntries(Object.entries(parent).map(([file, text]) => [`folder/${file}`, text])),
      'folder/charts/greeter-1.0.0.tgz': { bytes: greeter },
    });
    for (const [index, env] of ENVS.entries()) {
      await registerCluster(platform, envtest.clusters[index]!, { env });
    }
  }, 180_000);

  afterAll(async () => {
    if (process.env.FLOTILLA_TEST_DEBUG)
      console.log(`WORKER\n${platform?.workerLog().slice(-12000)}`);
    await platform?.stop();
    await Promise.all([envtest?.stopAll(), registry?.stop(), repo?.remove()]);
    if (charts) await new Promise((done) => charts.close(done));
  });

  it('deploys archives from git at once, and the guarded sources once the GitRepo has its chart credentials', async () => {
    const created = await json<{ id: string; hasHelmAuth: boolean }>(
      await platform.api('/api/v1/gitrepos', {
        json: {
          name: 'chart-sources',
          url: repo.url,
          paths: ['http-repo', 'oci', 'url', 'archive', 'folder'],
          targets: [{ clusterSelector: 'env in (dev,prod)' }],
        },
      }),
    );
    gitRepoId = created.id;
    expect(created.hasHelmAuth).toBe(false);

    // The archives committed in git need no credentials.
    await vi.waitFor(
      async () => {
        expect(await readGreeting('dev', 'from-archive')).toEqual({
          greeting: 'from-archive-dev',
          chart: 'greeter-1.0.0',
        });
        expect(await readGreeting('prod', 'from-archive')).toEqual({
          greeting: 'from-archive-prod',
          chart: 'greeter-1.0.0',
        });
        expect(await readGreeting('dev', 'from-folder')).toEqual({
          greeting: 'parent-default',
          chart: 'greeter-1.0.0',
        });
        expect(await readGreeting('prod', 'from-folder')).toEqual({
          greeting: 'from-folder-prod',
          chart: 'greeter-1.0.0',
        });
      },
      { timeout: 120_000, interval: 500 },
    );
    // Without credentials, the guarded sources fail on their own bundles, saying why.
    const errors = await vi.waitFor(
      async () => {
        const found = Object.fromEntries(
          (await bundles()).map((bundle) => [bundle.path, bundle.renderError]),
        );
        for (const path of ['http-repo', 'oci', 'url']) {
          if (!found[path]) throw new Error(`${path}: no render error yet`);
        }
        return found;
      },
      { timeout: 60_000, interval: 500 },
    );
    expect(errors['http-repo']).toContain(
      'index.yaml: HTTP 401 (check the repository credentials)',
    );
    expect(errors.oci).toContain(
      `oci://${registry.host}/charts/greeter: the registry asks for credentials (helmSecretName)`,
    );
    expect(errors.url).toContain('greeter-1.0.0.tgz: HTTP 401');
    expect(errors.archive).toBe('');

    const credentials = {
      username: OCI_REGISTRY_USER.username,
      password: OCI_REGISTRY_USER.password,
    };
    const refused = await platform.api(`/api/v1/gitrepos/${gitRepoId}`, {
      method: 'PATCH',
      json: { helmAuth: { ...credentials, urlPrefixes: ['ftp://charts.example.com'] } },
    });
    expect(refused.status).toBe(422);
    const problem = (await refused.json()) as { errors: { path: string; message: string }[] };
    expect(problem.errors).toEqual([
      {
        path: 'helmAuth.urlPrefixes[0]',
        message: 'must be an https://, http:// or oci:// location without credentials in it',
      },
    ]);
    expect(JSON.stringify(problem)).not.toContain(OCI_REGISTRY_USER.password);
    const badCa = await platform.api(`/api/v1/gitrepos/${gitRepoId}`, {
      method: 'PATCH',
      json: { helmAuth: { ...credentials, caBundle: 'not a certificate' } },
    });
    expect(badCa.status).toBe(422);
    expect(((await badCa.json()) as { errors: unknown[] }).errors).toEqual([
      {
        path: 'helmAuth.caBundle',
        message: 'must be PEM certificates (-----BEGIN CERTIFICATE-----)',
      },
    ]);

    // The credentials may go to the three sources, and nowhere else.
    const updated = await platform.api(`/api/v1/gitrepos/${gitRepoId}`, {
      method: 'PATCH',
      json: {
        helmAuth: {
          ...credentials,
          urlPrefixes: [
            `${chartsUrl}/charts`,
            `${chartsUrl}/direct/greeter-1.0.0.tgz`,
            `oci://${registry.host}/charts`,
          ],
        },
      },
    });
    const updatedText = await updated.text();
    expect(updated.status, updatedText).toBe(200);
    expect(JSON.parse(updatedText)).toMatchObject({ hasHelmAuth: true });
    expect(updatedText).not.toContain(OCI_REGISTRY_USER.password);

    await vi.waitFor(
      async () => {
        for (const env of ENVS) {
          // ^1.0.0 of a repository holding 1.1.0 and 2.0.0: the highest match.
          expect(await readGreeting(env, 'from-http')).toEqual({
            greeting: `from-http-${env}`,
            chart: 'greeter-1.1.0',
          });
          expect(await readGreeting(env, 'from-oci')).toEqual({
            greeting: `from-oci-${env}`,
            chart: 'greeter-1.0.0',
          });
          expect(await readGreeting(env, 'from-url')).toEqual({
            greeting: `from-url-${env}`,
            chart: 'greeter-1.0.0',
          });
        }
      },
      { timeout: 90_000, interval: 500 },
    );
  });

  it('never shows the chart credentials in responses, logs or errors', async () => {
    const texts = [
      await (await platform.api(`/api/v1/gitrepos/${gitRepoId}`)).text(),
      await (await platform.api('/api/v1/gitrepos')).text(),
      platform.workerLog(),
      platform.webLog(),
      ...(await bundles()).map((bundle) => bundle.renderError),
    ];
    for (const text of texts) expect(text).not.toContain(OCI_REGISTRY_USER.password);
    expect(chartRequests.some((request) => request.authorization === BASIC)).toBe(true);

    const removed = await json<{ hasHelmAuth: boolean }>(
      await platform.api(`/api/v1/gitrepos/${gitRepoId}`, {
        method: 'PATCH',
        json: { helmAuth: null },
      }),
    );
    expect(removed.hasHelmAuth).toBe(false);
  });
});
