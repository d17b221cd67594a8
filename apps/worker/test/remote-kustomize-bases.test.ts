import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import * as k8s from '@kubernetes/client-node';
import {
  createBareRepo,
  kubeConfigFor,
  serveGitHttp,
  startPlatform,
  startTestClusters,
  type BareRepo,
  type GitHttpServer,
  type Platform,
  type TestClusters,
} from '@flotilla/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

interface RepoView {
  bundles: { id: string; name: string; renderError: string; commit: string | null }[];
}

// The remote-base case whose output real `kubectl kustomize` recorded (engine golden tests).
const CASE = path.resolve(
  import.meta.dirname,
  '../../../packages/engine/test/kustomize/remote-cases/git-base',
);

function readFolder(root: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    files[path.relative(root, full)] = readFileSync(full, 'utf8');
  }
  return files;
}

// The helmCharts case kubectl kustomize --enable-helm recorded (engine golden helm-inflate.yaml).
const HELM_CASE = path.resolve(
  import.meta.dirname,
  '../../../packages/engine/test/kustomize/helm-cases/inflate',
);

const configMap = (name: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ${name}, namespace: plain }\ndata: { a: "1" }\n`;

/**
 * Remote kustomize bases end to end: a bundle whose kustomization names a git repository served
 * over loopback HTTP (a tag of it) renders through the worker's Git cache and deploys what
 * `kubectl kustomize` renders for it; a remote the address policy refuses fails that bundle
 * with the kustomization file and the URL named, and the other bundles keep deploying.
 */
describe('remote kustomize bases and helmCharts in the worker', () => {
  let platform: Platform;
  let envtest: TestClusters;
  let remote: BareRepo;
  let repo: BareRepo;
  let server: GitHttpServer;
  let apps: k8s.AppsV1Api;
  let core: k8s.CoreV1Api;

  beforeAll(async () => {
    remote = await createBareRepo(readFolder(path.join(CASE, 'remote')));
    await remote.tag('v1');
    server = await serveGitHttp({ root: remote.root });
    const local = readFolder(path.join(CASE, 'local'));
    repo = await createBareRepo({
      'shop/fleet.yaml': '',
      'shop/service.yaml': local['service.yaml']!,
      'shop/kustomization.yaml': local['kustomization.yaml']!.replaceAll(
        'REMOTE',
        server.url(remote.name),
      ),
      'metadata/fleet.yaml': '',
      'metadata/kustomization.yaml':
        'resources:\n  - https://169.254.169.254/org/repo//base?ref=v1\n',
      ...Object.fromEntries(
        Object.entries(readFolder(HELM_CASE)).map(([file, text]) => [`charts-app/${file}`, text]),
      ),
      'charts-app/fleet.yaml': 'defaultNamespace: charts-app\n',
      'plain/fleet.yaml': '',
      'plain/cm.yaml': configMap('plain'),
    });
    [platform, envtest] = await Promise.all([
      startPlatform({
        env: {
          FLOTILLA_TICK_SECONDS: '1',
          FLOTILLA_SWEEP_INTERVAL_SECONDS: '2',
          FLOTILLA_PROBE_INTERVAL_SECONDS: '2',
        },
      }),
      startTestClusters(1, { names: ['only'] }),
    ]);
    const cluster = envtest.clusters[0]!;
    apps = kubeConfigFor(cluster).makeApiClient(k8s.AppsV1Api);
    core = kubeConfigFor(cluster).makeApiClient(k8s.CoreV1Api);
    await platform.api('/api/v1/clusters', {
      json: {
        name: 'only',
        labels: {},
        apiServerUrl: cluster.url,
        caData: cluster.caData,
        token: cluster.token,
      },
    });
  });

  afterAll(async () => {
    await platform?.stop();
    await server?.stop();
    await envtest?.stopAll();
    await repo?.remove();
    await remote?.remove();
  });

  it('deploys a remote base and component and a helmCharts bundle, and names the refused remote on its own bundle', async () => {
    const response = await platform.api('/api/v1/gitrepos', {
      json: { name: 'remote-bases', url: repo.url, targets: [{ clusterSelector: {} }] },
    });
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: string };

    const view = await vi.waitFor(
      async () => {
        const found = (await (await platform.api(`/api/v1/gitrepos/${id}`)).json()) as RepoView;
        const byName = new Map(found.bundles.map((bundle) => [bundle.name, bundle]));
        expect(byName.get('metadata')?.renderError).toMatch(/cannot be fetched/);
        expect(byName.get('shop')?.commit).toBe(await repo.head());
        return byName;
      },
      { timeout: 90_000, interval: 500 },
    );
    expect(view.get('shop')?.renderError).toBe('');
    expect(view.get('metadata')?.renderError).toContain(
      'metadata/kustomization.yaml: remote base "https://169.254.169.254/org/repo//base?ref=v1" cannot be fetched: ',
    );
    expect(view.get('metadata')?.renderError).toMatch(/169\.254\.169\.254.*(metadata|link-local)/);

    // What kubectl kustomize printed for this case (golden remote-git-base.yaml).
    await vi.waitFor(
      async () => {
        const deployment = await apps.readNamespacedDeployment({
          name: 'prod-web',
          namespace: 'shop',
        });
        const [container] = deployment.spec?.template.spec?.containers ?? [];
        expect(container?.image).toBe('nginx:1.27.3');
        expect(container?.readinessProbe?.httpGet?.path).toBe('/healthz');
        expect(container?.envFrom?.[0]?.configMapRef?.name).toBe('prod-web-settings-hf678c7m2b');
        const settings = await core.readNamespacedConfigMap({
          name: 'prod-web-settings-hf678c7m2b',
          namespace: 'shop',
        });
        expect(settings.data).toEqual({ LOG_LEVEL: 'info' });
        expect(
          (await core.readNamespacedService({ name: 'prod-web', namespace: 'shop' })).spec
            ?.selector,
        ).toEqual({ app: 'web' });
        expect(
          (await core.readNamespacedConfigMap({ name: 'plain', namespace: 'plain' })).data,
        ).toEqual({ a: '1' });
        // helmCharts inflated in the worker: the chart folder of the bundle, values merged.
        const web = await apps.readNamespacedDeployment({
          name: 'shop-web-hello',
          namespace: 'charts-app',
        });
        expect(web.spec?.replicas).toBe(3);
        const settings2 = await core.readNamespacedConfigMap({
          name: 'shop-release-name-settings',
          namespace: 'charts-app',
        });
        expect(settings2.data).toEqual({ a: '1', greeting: 'replaced' });
      },
      { timeout: 90_000, interval: 500 },
    );
  });
});
