import { JobQueues } from '@flotilla/jobs';
import {
  createBareRepo,
  startPlatform,
  startTestClusters,
  type BareRepo,
  type Platform,
  type TestClusters,
} from '@flotilla/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { json, readObject, registerCluster, type ApiCluster } from './clusters-api.ts';

const NAMESPACE = 'helm-it';
const ENVS = ['dev', 'prod'] as const;

/** A chart folder as a bundle: fleet.yaml's helm options, a per-env customization. */
const REPO_FILES: Record<string, string> = {
  'web/fleet.yaml': `defaultNamespace: ${NAMESPACE}
helm:
  releaseName: web
  values:
    greeting: hello
targetCustomizations:
  - name: prod
    clusterSelector:
      matchLabels: { env: prod }
    helm:
      values:
        greeting: hello-prod
        replicas: 3
`,
  'web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 1.2.3\n',
  'web/values.yaml': 'greeting: default\nreplicas: 1\ntier: frontend\n',
  'web/templates/configmap.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-settings
data:
  greeting: {{ .Values.greeting | quote }}
  replicas: {{ .Values.replicas | quote }}
  tier: {{ .Values.tier | quote }}
  chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | quote }}
`,
  'web/templates/secret.yaml': `apiVersion: v1
kind: Secret
metadata:
  name: {{ .Release.Name }}-password
type: Opaque
data:
  password: {{ randAlphaNum 24 | b64enc | quote }}
`,
  // A second chart whose template fails: its error must not hold back the first bundle.
  'broken/fleet.yaml': `defaultNamespace: ${NAMESPACE}\nhelm:\n  releaseName: broken\n`,
  'broken/Chart.yaml': 'apiVersion: v2\nname: broken\nversion: 0.1.0\n',
  'broken/templates/configmap.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: broken
data:
  region: {{ required "region is required" .Values.region }}
`,
  // fleet.yaml naming an archive that is not committed.
  'archived/fleet.yaml': 'helm:\n  chart: ./web-1.2.3.tgz\n',
  // A Helm repository that does not answer; the password in its URL must never be shown.
  'remote/fleet.yaml':
    'helm:\n  repo: http://chartuser:s3cret-pass@127.0.0.1:1/charts\n  chart: web\n  version: 1.x\n',
};

interface ApiBundle {
  id: string;
  path: string;
  renderError: string;
}

describe('Helm bundles through the platform: a chart folder deployed to two real clusters', () => {
  let envtest: TestClusters;
  let platform: Platform;
  let repo: BareRepo;
  const clusters = new Map<string, ApiCluster>();
  let bundles: ApiBundle[] = [];
  const bundleAt = (path: string) => bundles.find((bundle) => bundle.path === path)!;

  const readSettings = async (env: (typeof ENVS)[number]) =>
    readObject(envtest.clusters[ENVS.indexOf(env)]!, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace: NAMESPACE,
      name: 'web-settings',
    }) as Promise<{ data?: Record<string, string>; metadata?: { resourceVersion?: string } }>;
  const readPassword = async (env: (typeof ENVS)[number]) =>
    readObject(envtest.clusters[ENVS.indexOf(env)]!, {
      apiVersion: 'v1',
      kind: 'Secret',
      namespace: NAMESPACE,
      name: 'web-password',
    }) as Promise<{ data?: Record<string, string>; metadata?: { resourceVersion?: string } }>;

  beforeAll(async () => {
    [envtest, platform] = await Promise.all([
      startTestClusters(2, { names: [...ENVS] }),
      startPlatform({
        env: {
          FLOTILLA_MONITOR_INTERVAL_SECONDS: '2',
          FLOTILLA_PROBE_INTERVAL_SECONDS: '2',
          FLOTILLA_TICK_SECONDS: '1',
          FLOTILLA_SWEEP_INTERVAL_SECONDS: '2',
        },
      }),
    ]);
    repo = await createBareRepo(REPO_FILES);
    for (const [index, env] of ENVS.entries()) {
      clusters.set(env, await registerCluster(platform, envtest.clusters[index]!, { env }));
    }
  });

  afterAll(async () => {
    if (process.env.FLOTILLA_TEST_DEBUG)
      console.log(`WORKER\n${platform?.workerLog().slice(-12000)}`);
    await platform?.stop();
    await envtest?.stopAll();
    await repo?.remove();
  });

  it('deploys the chart with each cluster its values, and names the failing template of the other bundle', async () => {
    const created = await json<{ id: string }>(
      await platform.api('/api/v1/gitrepos', {
        json: {
          name: 'charts',
          url: repo.url,
          paths: ['web', 'broken', 'archived', 'remote'],
          targets: [{ clusterSelector: 'env in (dev,prod)' }],
        },
      }),
    );
    bundles = await vi.waitFor(
      async () => {
        const found = await json<{ bundles: ApiBundle[] }>(
          await platform.api(`/api/v1/gitrepos/${created.id}`),
        );
        if (found.bundles.length < 4) throw new Error('bundles not discovered yet');
        return found.bundles;
      },
      { timeout: 60_000, interval: 300 },
    );

    await vi.waitFor(
      async () => {
        expect((await readSettings('dev')).data).toEqual({
          greeting: 'hello',
          replicas: '1',
          tier: 'frontend',
          chart: 'web-1.2.3',
        });
        expect((await readSettings('prod')).data).toEqual({
          greeting: 'hello-prod',
          replicas: '3',
          tier: 'frontend',
          chart: 'web-1.2.3',
        });
      },
      { timeout: 90_000, interval: 500 },
    );
    for (const env of ENVS) {
      const password = Buffer.from((await readPassword(env)).data?.password ?? '', 'base64');
      expect(password.toString()).toMatch(/^[A-Za-z0-9]{24}$/);
    }

    const broken = await vi.waitFor(
      async () => {
        const bundle = await json<ApiBundle>(
          await platform.api(`/api/v1/bundles/${bundleAt('broken').id}`),
        );
        if (!bundle.renderError) throw new Error('no render error yet');
        return bundle;
      },
      { timeout: 30_000, interval: 300 },
    );
    expect(broken.renderError).toContain('broken/templates/configmap.yaml');
    expect(broken.renderError).toContain('region is required');
    const web = await json<ApiBundle>(await platform.api(`/api/v1/bundles/${bundleAt('web').id}`));
    expect(web.renderError).toBe('');

    const errorOf = (path: string) =>
      vi.waitFor(
        async () => {
          const { renderError } = await json<ApiBundle>(
            await platform.api(`/api/v1/bundles/${bundleAt(path).id}`),
          );
          if (!renderError) throw new Error(`${path}: no render error yet`);
          return renderError;
        },
        { timeout: 30_000, interval: 300 },
      );
    const archived = await errorOf('archived');
    expect(archived).toContain('archived/web-1.2.3.tgz');
    expect(archived).toContain('the chart archive is not in the repository at this commit');
    const remote = await errorOf('remote');
    expect(remote).toContain('127.0.0.1:1/charts');
    expect(remote).not.toContain('s3cret-pass');
  });

  it('renders the same commit again to the same revisions and makes no write to either cluster', async () => {
    const webId = bundleAt('web').id;
    const { db } = platform.database;
    const rendersOf = async () =>
      (
        await db.bundleRender.findMany({
          where: { bundleId: webId },
          orderBy: [{ customization: 'asc' }, { clusterId: 'asc' }],
        })
      ).map((render) => [render.customization, render.clusterId, render.revisionHash]);
    const before = await rendersOf();
    // randAlphaNum makes the chart render per cluster: a shared row per customization says so,
    // and each cluster has its own render.
    const ids = ENVS.map((env) => clusters.get(env)!.id);
    expect(before.map(([name, clusterId]) => [name, clusterId])).toEqual([
      ['', ''],
      ['', ids[0]],
      ['prod', ''],
      ['prod', ids[1]],
    ]);
    const passwords = await Promise.all(ENVS.map(async (env) => (await readPassword(env)).data));
    const versions = await Promise.all(
      ENVS.map(async (env) => (await readPassword(env)).metadata?.resourceVersion),
    );
    // Let in-flight applies and monitors settle, then count.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const writesBefore = envtest.clusters.map((cluster) => cluster.countMutatingRequests());

    // A forced re-render: the recorded renders go, and the render job runs again at the commit.
    await db.bundleRender.deleteMany({ where: { bundleId: webId } });
    const redis = new Redis(platform.redisUrl, { maxRetriesPerRequest: null });
    try {
      await new JobQueues(redis).enqueueRender({ bundleId: webId, commit: await repo.head() });
      await vi.waitFor(async () => expect((await rendersOf()).length).toBe(4), {
        timeout: 30_000,
        interval: 300,
      });
    } finally {
      redis.disconnect();
    }
    expect(await rendersOf()).toEqual(before);
    // Several monitor intervals (2 s each) with reads only.
    await new Promise((resolve) => setTimeout(resolve, 6000));
    expect(
      envtest.clusters.map((cluster) => cluster.countMutatingRequests()),
      JSON.stringify(envtest.clusters.map((cluster) => cluster.mutatingRequests().slice(-5))),
    ).toEqual(writesBefore);
    for (const [index, env] of ENVS.entries()) {
      const secret = await readPassword(env);
      expect(secret.data).toEqual(passwords[index]);
      expect(secret.metadata?.resourceVersion).toBe(versions[index]);
    }
  });
});
