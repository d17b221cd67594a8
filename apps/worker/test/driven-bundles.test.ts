import * as k8s from '@kubernetes/client-node';
import {
  createBareRepo,
  kubeConfigFor,
  startPlatform,
  startTestClusters,
  type BareRepo,
  type Platform,
  type TestClusters,
} from '@flotilla/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

interface RepoView {
  id: string;
  commit: string | null;
  state: string;
  message: string;
  drivenBundles: { base: string; options?: string }[];
  bundles: { name: string; path: string; optionsFile: string; commit: string | null }[];
}

const configMap = (name: string, value: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ${name} }\ndata: { value: "${value}" }\n`;

/**
 * Fleet's user-driven bundle scan (GitRepo spec.bundles) and `.fleetignore`, end to end: a
 * repository whose one folder is two bundles, each reading its own options file (dev.yaml,
 * prod.yaml) instead of fleet.yaml, deployed to a real kube-apiserver; the files a .fleetignore
 * names are neither bundles nor deployed.
 */
describe('a GitRepo with bundles: entries and .fleetignore', () => {
  let platform: Platform;
  let envtest: TestClusters;
  let repo: BareRepo;
  let core: k8s.CoreV1Api;

  const getRepo = async (id: string) =>
    (await (await platform.api(`/api/v1/gitrepos/${id}`)).json()) as RepoView;
  const configMapIn = (namespace: string, name = 'settings') =>
    core.readNamespacedConfigMap({ name, namespace }).then(
      (found) => found.data?.value,
      () => undefined,
    );

  beforeAll(async () => {
    repo = await createBareRepo({
      'app/settings.yaml': configMap('settings', 'from-app'),
      'app/dev.yaml': 'defaultNamespace: driven-dev\n',
      'app/prod.yaml': 'defaultNamespace: driven-prod\n',
      // Each options file is a bundle's own; the other is no manifest of the bundle either.
      'app/.fleetignore':
        '# options files of the bundles: entries\ndev.yaml\nprod.yaml\nscratch/*\n',
      'app/scratch/draft.yaml': configMap('draft', 'never'),
      'app/notes.yaml': configMap('notes', 'kept'),
      // Not listed in bundles:, so not a bundle although it has a fleet.yaml.
      'other/fleet.yaml': 'defaultNamespace: other\n',
      'other/cm.yaml': configMap('other', 'never'),
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
    core = kubeConfigFor(cluster).makeApiClient(k8s.CoreV1Api);
    await platform.api('/api/v1/clusters', {
      json: {
        name: 'only',
        labels: { env: 'dev' },
        apiServerUrl: cluster.url,
        caData: cluster.caData,
        token: cluster.token,
      },
    });
  });

  afterAll(async () => {
    await platform?.stop();
    await envtest?.stopAll();
    await repo?.remove();
  });

  it('refuses an entry that leaves the repository, naming the field', async () => {
    const response = await platform.api('/api/v1/gitrepos', {
      json: { name: 'escape', url: repo.url, drivenBundles: [{ base: '../etc' }] },
    });
    expect(response.status).toBe(422);
    expect(((await response.json()) as { errors: unknown[] }).errors).toEqual([
      {
        path: 'drivenBundles[0].base',
        message: 'must be a path inside the repository (no leading "/", no "..")',
      },
    ]);
  });

  it('makes one bundle per entry, each rendered with its options file, and deploys both', async () => {
    const response = await platform.api('/api/v1/gitrepos', {
      json: {
        name: 'driven',
        url: repo.url,
        drivenBundles: [
          { base: 'app', options: 'dev.yaml' },
          { base: 'app', options: 'prod.yaml' },
        ],
        targets: [{ clusterSelector: {} }],
      },
    });
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: string };
    const head = await repo.head();
    const view = await vi.waitFor(
      async () => {
        const found = await getRepo(id);
        expect(found.bundles.map((b) => [b.name, b.path, b.optionsFile, b.commit])).toEqual([
          ['app-dev', 'app', 'dev.yaml', head],
          ['app-prod', 'app', 'prod.yaml', head],
        ]);
        return found;
      },
      { timeout: 60_000, interval: 300 },
    );
    expect(view.drivenBundles).toEqual([
      { base: 'app', options: 'dev.yaml' },
      { base: 'app', options: 'prod.yaml' },
    ]);

    await vi.waitFor(
      async () => {
        expect(await configMapIn('driven-dev')).toBe('from-app');
        expect(await configMapIn('driven-prod')).toBe('from-app');
        expect(await configMapIn('driven-dev', 'notes')).toBe('kept');
      },
      { timeout: 90_000, interval: 500 },
    );
    // What .fleetignore names is not deployed, nor is the folder bundles: does not list.
    expect(await configMapIn('driven-dev', 'draft')).toBeUndefined();
    expect(await configMapIn('other', 'other')).toBeUndefined();

    // Dropping an entry removes that bundle and prunes what it deployed; the other stays.
    const patched = await platform.api(`/api/v1/gitrepos/${id}`, {
      method: 'PATCH',
      json: { drivenBundles: [{ base: 'app', options: 'dev.yaml' }] },
    });
    expect(patched.status).toBe(200);
    await vi.waitFor(
      async () => {
        expect((await getRepo(id)).bundles.map((b) => b.name)).toEqual(['app-dev']);
        expect(await configMapIn('driven-prod')).toBeUndefined();
      },
      { timeout: 90_000, interval: 500 },
    );
    expect(await configMapIn('driven-dev')).toBe('from-app');
  });
});
