import {
  createBareRepo,
  markDeploymentAvailable,
  startPlatform,
  startTestClusters,
  type BareRepo,
  type Platform,
  type TestCluster,
  type TestClusters,
} from '@flotilla/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { json, objectExists, registerCluster, waitForConnectivity } from './clusters-api.ts';

const configMap = (name: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ${name} }\ndata: { bundle: ${name} }\n`;

/**
 * GitRepo "deps": infra (a Deployment, never Available on a controller-less API server until
 * the test says so), app (depends on infra by Fleet's name "deps-infra"), a cycle a → b → a
 * (b names a by a label selector) and a bundle depending on one that does not exist.
 */
const REPO_FILES: Record<string, string> = {
  'infra/fleet.yaml': 'defaultNamespace: dep-infra\n',
  'infra/deployment.yaml': [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: { name: db }',
    'spec:',
    '  replicas: 1',
    '  selector: { matchLabels: { app: db } }',
    '  template:',
    '    metadata: { labels: { app: db } }',
    '    spec: { containers: [{ name: db, image: "postgres:16" }] }',
  ].join('\n'),
  'app/fleet.yaml': 'defaultNamespace: dep-app\ndependsOn:\n  - name: deps-infra\n',
  'app/config.yaml': configMap('app-config'),
  'cycle-a/fleet.yaml':
    'defaultNamespace: dep-cycle\nlabels: { role: first }\ndependsOn:\n  - name: cycle-b\n',
  'cycle-a/config.yaml': configMap('cycle-a'),
  'cycle-b/fleet.yaml':
    'defaultNamespace: dep-cycle\ndependsOn:\n  - selector: { matchLabels: { role: first } }\n',
  'cycle-b/config.yaml': configMap('cycle-b'),
  'missing/fleet.yaml': 'defaultNamespace: dep-missing\ndependsOn:\n  - name: no-such-bundle\n',
  'missing/config.yaml': configMap('missing'),
};

const APP_CONFIG = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  namespace: 'dep-app',
  name: 'app-config',
};
const WAITING = 'Pending: waiting for bundle infra to be Ready on this cluster';

describe('dependsOn: a bundle deploys on a cluster only once its dependencies are Ready there', () => {
  let envtest: TestClusters;
  let platform: Platform;
  let repo: BareRepo;

  /** The deployments of the bundle at `path`, by cluster name. */
  const deploymentsOf = async (path: string) => {
    const rows = await platform.database.db.bundleDeployment.findMany({
      where: { bundle: { path } },
      include: { cluster: { select: { name: true } } },
    });
    return Object.fromEntries(
      rows.map((row) => [row.cluster.name, { state: row.state, message: row.message }]),
    );
  };
  const bundleOf = (path: string) =>
    platform.database.db.bundle.findFirstOrThrow({ where: { path } });

  beforeAll(async () => {
    envtest = await startTestClusters(2, { names: ['one', 'two'] });
    platform = await startPlatform({
      env: {
        FLOTILLA_MONITOR_INTERVAL_SECONDS: '2',
        FLOTILLA_PROBE_INTERVAL_SECONDS: '1',
        FLOTILLA_TICK_SECONDS: '1',
      },
    });
    repo = await createBareRepo(REPO_FILES);
    for (const cluster of envtest.clusters) {
      const { id } = await registerCluster(platform, cluster, { fleet: 'all' });
      await waitForConnectivity(platform, id, 'Online');
    }
    await json(
      await platform.api('/api/v1/gitrepos', {
        json: {
          name: 'deps',
          url: repo.url,
          targets: [{ clusterSelector: { matchLabels: { fleet: 'all' } } }],
        },
      }),
    );
  });

  afterAll(async () => {
    await platform?.stop();
    await envtest?.stopAll();
    await repo?.remove();
  });

  it('holds app on each cluster until infra is Ready there, saying so, then deploys it there', async () => {
    const [one, two] = envtest.clusters as [TestCluster, TestCluster];
    // infra is applied everywhere but not Ready (no controller makes its Deployment Available).
    await vi.waitFor(
      async () => {
        const infra = await deploymentsOf('infra');
        expect(Object.keys(infra).sort()).toEqual(['one', 'two']);
        for (const deployment of Object.values(infra)) expect(deployment.state).toBe('NotReady');
      },
      { timeout: 120_000, interval: 500 },
    );
    await vi.waitFor(
      async () =>
        expect(await deploymentsOf('app')).toEqual({
          one: { state: 'Pending', message: WAITING },
          two: { state: 'Pending', message: WAITING },
        }),
      { timeout: 60_000, interval: 500 },
    );
    expect(await objectExists(one, APP_CONFIG)).toBe(false);
    expect(await objectExists(two, APP_CONFIG)).toBe(false);
    expect((await bundleOf('app')).dependencyError).toBe('');

    // infra turns Ready on one only: app deploys there, and still waits on two. The periodic
    // re-plan of every bundle is minutes away: the Ready transition itself plans app.
    await vi.waitFor(() => markDeploymentAvailable(one, 'dep-infra', 'db'), {
      timeout: 30_000,
      interval: 500,
    });
    await vi.waitFor(async () => expect(await objectExists(one, APP_CONFIG)).toBe(true), {
      timeout: 60_000,
      interval: 500,
    });
    expect((await deploymentsOf('infra')).one?.state).toBe('Ready');
    expect((await deploymentsOf('app')).two).toEqual({ state: 'Pending', message: WAITING });
    expect(await objectExists(two, APP_CONFIG)).toBe(false);

    await vi.waitFor(() => markDeploymentAvailable(two, 'dep-infra', 'db'), {
      timeout: 30_000,
      interval: 500,
    });
    await vi.waitFor(async () => expect(await objectExists(two, APP_CONFIG)).toBe(true), {
      timeout: 60_000,
      interval: 500,
    });
    await vi.waitFor(
      async () => {
        const app = await deploymentsOf('app');
        expect(app.one?.state).toBe('Ready');
        expect(app.two?.state).toBe('Ready');
      },
      { timeout: 60_000, interval: 500 },
    );
  });

  it('reports a cycle on both bundles of it, and deploys neither', async () => {
    await vi.waitFor(
      async () => {
        expect((await bundleOf('cycle-a')).dependencyError).toBe(
          'dependsOn: cycle cycle-a → cycle-b → cycle-a',
        );
        expect((await bundleOf('cycle-b')).dependencyError).toBe(
          'dependsOn: cycle cycle-b → cycle-a → cycle-b',
        );
        for (const path of ['cycle-a', 'cycle-b']) {
          const deployments = Object.values(await deploymentsOf(path));
          expect(deployments).toHaveLength(2);
          for (const deployment of deployments) {
            expect(deployment.state).toBe('ErrApplied');
            expect(deployment.message).toMatch(/^ErrApplied: dependsOn: cycle /);
          }
        }
      },
      { timeout: 60_000, interval: 500 },
    );
    for (const cluster of envtest.clusters) {
      for (const name of ['cycle-a', 'cycle-b'])
        expect(
          await objectExists(cluster, {
            apiVersion: 'v1',
            kind: 'ConfigMap',
            namespace: 'dep-cycle',
            name,
          }),
        ).toBe(false);
    }
  });

  it('reports a dependency no bundle answers to, and does not deploy', async () => {
    await vi.waitFor(
      async () => {
        expect((await bundleOf('missing')).dependencyError).toBe(
          'dependsOn: no bundle named "no-such-bundle"',
        );
        const deployments = Object.values(await deploymentsOf('missing'));
        expect(deployments).toHaveLength(2);
        for (const deployment of deployments)
          expect(deployment).toEqual({
            state: 'ErrApplied',
            message: 'ErrApplied: dependsOn: no bundle named "no-such-bundle"',
          });
      },
      { timeout: 60_000, interval: 500 },
    );
    for (const cluster of envtest.clusters)
      expect(
        await objectExists(cluster, {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          namespace: 'dep-missing',
          name: 'missing',
        }),
      ).toBe(false);
  });
});
