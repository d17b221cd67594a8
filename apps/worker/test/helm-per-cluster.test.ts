import * as k8s from '@kubernetes/client-node';
import { JobQueues } from '@flotilla/jobs';
import {
  createBareRepo,
  kubeConfigFor,
  startPlatform,
  startTestClusters,
  type BareRepo,
  type Platform,
  type TestCluster,
  type TestClusters,
} from '@flotilla/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { json, readObject, registerCluster, type ApiCluster } from './clusters-api.ts';

const NAMESPACE = 'helm-pc';
/** Where the objects the charts read live on each cluster (made by hand, not by Flotilla). */
const SOURCE = 'pc-source';
const ENVS = ['dev', 'prod'] as const;
/** Per cluster: a token in a Secret the chart looks up, values in a ConfigMap and a Secret. */
const ON_CLUSTER = {
  dev: { token: 'dev-db-token', region: 'eu-west', apiKey: 'dev-api-key-6f1c' },
  prod: { token: 'prod-db-token', region: 'us-east', apiKey: 'prod-api-key-9a2e' },
} as const;
/** A Secret whose values.yaml is no YAML map: its content must never show in an error. */
const BROKEN_SECRET_TEXT = 'leaked-if-shown-7c4d: [unclosed';

const CHART_FILES: Record<string, string> = {
  'Chart.yaml': 'apiVersion: v2\nname: app\nversion: 0.3.0\n',
  'values.yaml': 'greeting: default\n',
  'templates/facts.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-facts
data:
  greeting: {{ .Values.greeting | quote }}
  region: {{ .Values.region | default "none" | quote }}
  kubeVersion: {{ .Capabilities.KubeVersion.Version | quote }}
  {{- if semverCompare ">=1.21-0" .Capabilities.KubeVersion.Version }}
  branch: "new"
  {{- else }}
  branch: "old"
  {{- end }}
  pdbApi: {{ if .Capabilities.APIVersions.Has "policy/v1/PodDisruptionBudget" }}"policy/v1"{{ else }}"policy/v1beta1"{{ end }}
  {{- $db := lookup "v1" "Secret" "${SOURCE}" "db-credentials" }}
  dbToken: {{ dig "data" "token" "" $db | b64dec | quote }}
  missing: {{ empty (lookup "v1" "Secret" "${SOURCE}" "no-such-secret") | quote }}
`,
  'templates/secrets.yaml': `apiVersion: v1
kind: Secret
metadata:
  name: {{ .Release.Name }}-generated
type: Opaque
data:
  password: {{ randAlphaNum 24 | b64enc | quote }}
  apiKey: {{ .Values.apiKey | default "" | b64enc | quote }}
`,
};

const REPO_FILES: Record<string, string> = {
  ...Object.fromEntries(Object.entries(CHART_FILES).map(([name, text]) => [`app/${name}`, text])),
  'app/fleet.yaml': `defaultNamespace: ${NAMESPACE}
helm:
  releaseName: pc
  values:
    greeting: hello
  valuesFrom:
    - configMapKeyRef: { name: cluster-values, namespace: ${SOURCE} }
    - secretKeyRef: { name: cluster-secret-values, namespace: ${SOURCE}, key: secret.yaml }
targetCustomizations:
  - name: prod
    clusterSelector:
      matchLabels: { env: prod }
    helm:
      values:
        greeting: hello-prod
`,
  // The same chart with a key its ConfigMap lacks: an error on this bundle only.
  ...Object.fromEntries(
    Object.entries(CHART_FILES).map(([name, text]) => [`missingkey/${name}`, text]),
  ),
  'missingkey/fleet.yaml': `defaultNamespace: ${NAMESPACE}-missing
helm:
  releaseName: missingkey
  valuesFrom:
    - configMapKeyRef: { name: cluster-values, namespace: ${SOURCE}, key: nope.yaml }
`,
  // A key only prod's ConfigMap has: dev's deployment fails with the reason, prod deploys.
  ...Object.fromEntries(
    Object.entries(CHART_FILES).map(([name, text]) => [`partial/${name}`, text]),
  ),
  'partial/fleet.yaml': `defaultNamespace: ${NAMESPACE}-partial
helm:
  releaseName: partial
  valuesFrom:
    - configMapKeyRef: { name: cluster-values, namespace: ${SOURCE}, key: partial.yaml }
`,
  // A Secret whose key is no YAML map: the error names it and never shows its content.
  ...Object.fromEntries(
    Object.entries(CHART_FILES).map(([name, text]) => [`badsecret/${name}`, text]),
  ),
  'badsecret/fleet.yaml': `defaultNamespace: ${NAMESPACE}-bad
helm:
  releaseName: badsecret
  valuesFrom:
    - secretKeyRef: { name: broken-secret-values, namespace: ${SOURCE} }
`,
};

interface ApiBundle {
  id: string;
  path: string;
  renderError: string;
}

async function seedCluster(cluster: TestCluster, env: (typeof ENVS)[number]): Promise<void> {
  const core = kubeConfigFor(cluster).makeApiClient(k8s.CoreV1Api);
  const facts = ON_CLUSTER[env];
  await core.createNamespace({ body: { metadata: { name: SOURCE } } });
  await core.createNamespacedSecret({
    namespace: SOURCE,
    body: { metadata: { name: 'db-credentials' }, stringData: { token: facts.token } },
  });
  await core.createNamespacedConfigMap({
    namespace: SOURCE,
    body: {
      metadata: { name: 'cluster-values' },
      data: {
        'values.yaml': `region: ${facts.region}\n`,
        ...(env === 'prod' ? { 'partial.yaml': 'region: only-prod\n' } : {}),
      },
    },
  });
  await core.createNamespacedSecret({
    namespace: SOURCE,
    body: {
      metadata: { name: 'cluster-secret-values' },
      stringData: { 'secret.yaml': `apiKey: ${facts.apiKey}\n` },
    },
  });
  await core.createNamespacedSecret({
    namespace: SOURCE,
    body: {
      metadata: { name: 'broken-secret-values' },
      stringData: { 'values.yaml': BROKEN_SECRET_TEXT },
    },
  });
}

describe('Helm per cluster: Capabilities, lookup, seeded random values and valuesFrom from each target cluster', () => {
  let envtest: TestClusters;
  let platform: Platform;
  let repo: BareRepo;
  const clusters = new Map<string, ApiCluster>();
  let bundles: ApiBundle[] = [];
  const bundleAt = (path: string) => bundles.find((bundle) => bundle.path === path)!;
  const clusterOf = (env: (typeof ENVS)[number]) => envtest.clusters[ENVS.indexOf(env)]!;

  type Read = { data?: Record<string, string>; metadata?: { resourceVersion?: string } };
  const readFacts = (env: (typeof ENVS)[number]) =>
    readObject(clusterOf(env), {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace: NAMESPACE,
      name: 'pc-facts',
    }) as Promise<Read>;
  const readGenerated = (env: (typeof ENVS)[number]) =>
    readObject(clusterOf(env), {
      apiVersion: 'v1',
      kind: 'Secret',
      namespace: NAMESPACE,
      name: 'pc-generated',
    }) as Promise<Read>;
  const decoded = (value: string | undefined) => Buffer.from(value ?? '', 'base64').toString();

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
    await Promise.all(ENVS.map((env) => seedCluster(clusterOf(env), env)));
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

  it('deploys each cluster its own render: its customization, its Kubernetes version and API versions, the Secret it looks up, its valuesFrom, its own generated password', async () => {
    const created = await json<{ id: string }>(
      await platform.api('/api/v1/gitrepos', {
        json: {
          name: 'per-cluster',
          url: repo.url,
          paths: ['app', 'missingkey', 'badsecret', 'partial'],
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
        for (const env of ENVS) {
          expect((await readFacts(env)).data).toEqual({
            greeting: env === 'prod' ? 'hello-prod' : 'hello',
            region: ON_CLUSTER[env].region,
            // envtest is v1.20: the chart's ">=1.21" branch is not taken, and policy/v1 is absent.
            kubeVersion: 'v1.20.2',
            branch: 'old',
            pdbApi: 'policy/v1beta1',
            dbToken: ON_CLUSTER[env].token,
            missing: 'true',
          });
        }
      },
      { timeout: 90_000, interval: 500 },
    );
    const generated = await Promise.all(ENVS.map(readGenerated));
    const passwords = generated.map((secret) => decoded(secret.data?.password));
    for (const password of passwords) expect(password).toMatch(/^[A-Za-z0-9]{24}$/);
    expect(passwords[0]).not.toBe(passwords[1]);
    expect(generated.map((secret) => decoded(secret.data?.apiKey))).toEqual(
      ENVS.map((env) => ON_CLUSTER[env].apiKey),
    );

    // The discovered API versions are recorded on the cluster.
    const row = await platform.database.db.cluster.findUniqueOrThrow({
      where: { id: clusters.get('dev')!.id },
    });
    expect(row.apiVersions).toEqual(expect.arrayContaining(['apps/v1', 'apps/v1/Deployment']));
    expect(row.apiVersionsAt).not.toBeNull();

    // Values shown for each cluster: the ConfigMap's as read, the Secret's masked.
    const renders = await platform.database.db.bundleRender.findMany({
      where: { bundleId: bundleAt('app').id, clusterId: { not: '' } },
    });
    expect(renders).toHaveLength(2);
    for (const render of renders) {
      const env = render.clusterId === clusters.get('dev')!.id ? 'dev' : 'prod';
      const values = (render.helm as { values: Record<string, unknown> }).values;
      expect(values.region).toBe(ON_CLUSTER[env].region);
      expect(values.apiKey).toBe('*****');
      expect(JSON.stringify(render)).not.toContain(ON_CLUSTER[env].apiKey);
    }
  });

  it('fails only the bundle whose valuesFrom is wrong, naming the key and never showing a secret', async () => {
    const errorOf = (path: string) =>
      vi.waitFor(
        async () => {
          const { renderError } = await json<ApiBundle>(
            await platform.api(`/api/v1/bundles/${bundleAt(path).id}`),
          );
          if (!renderError) throw new Error(`${path}: no render error yet`);
          return renderError;
        },
        { timeout: 60_000, interval: 300 },
      );
    const missing = await errorOf('missingkey');
    expect(missing).toContain(`key nope.yaml is missing from configmap ${SOURCE}/cluster-values`);
    const broken = await errorOf('badsecret');
    expect(broken).toContain(`key values.yaml of secret ${SOURCE}/broken-secret-values`);
    expect(broken).not.toContain('leaked-if-shown');
    for (const env of ENVS) expect(platform.workerLog()).not.toContain(ON_CLUSTER[env].apiKey);
    expect(platform.workerLog()).not.toContain('leaked-if-shown');
    const app = await json<ApiBundle>(await platform.api(`/api/v1/bundles/${bundleAt('app').id}`));
    expect(app.renderError).toBe('');
  });

  it('a cluster whose own render fails shows why on its deployment; the other cluster deploys', async () => {
    const partialId = bundleAt('partial').id;
    await vi.waitFor(
      async () => {
        const facts = (await readObject(clusterOf('prod'), {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          namespace: `${NAMESPACE}-partial`,
          name: 'partial-facts',
        })) as { data?: Record<string, string> };
        expect(facts.data?.region).toBe('only-prod');
      },
      { timeout: 60_000, interval: 500 },
    );
    const dev = await vi.waitFor(
      async () => {
        const { items } = await json<{
          items: { clusterName: string; state: string; message: string }[];
        }>(await platform.api(`/api/v1/bundles/${partialId}/deployments`));
        const found = items.find((deployment) => deployment.clusterName === 'dev');
        if (found?.state !== 'ErrApplied') throw new Error(`dev is ${found?.state ?? 'absent'}`);
        return found;
      },
      { timeout: 60_000, interval: 300 },
    );
    expect(dev.message).toContain(
      `key partial.yaml is missing from configmap ${SOURCE}/cluster-values`,
    );
    const partial = await json<ApiBundle>(await platform.api(`/api/v1/bundles/${partialId}`));
    expect(partial.renderError).toContain('defaults on dev');
  });

  it('renders the same commit again to the same revisions and makes no write to either cluster', async () => {
    const appId = bundleAt('app').id;
    const { db } = platform.database;
    const rendersOf = async () =>
      (
        await db.bundleRender.findMany({
          where: { bundleId: appId },
          orderBy: [{ customization: 'asc' }, { clusterId: 'asc' }],
        })
      ).map((render) => [render.customization, render.clusterId, render.revisionHash]);
    const before = await rendersOf();
    expect(before).toHaveLength(4);
    const generated = await Promise.all(ENVS.map(readGenerated));
    // Let in-flight applies and monitors settle, then count.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const writesBefore = envtest.clusters.map((cluster) => cluster.countMutatingRequests());

    // A forced re-render: the recorded renders go, and the render job runs again at the commit.
    await db.bundleRender.deleteMany({ where: { bundleId: appId } });
    const redis = new Redis(platform.redisUrl, { maxRetriesPerRequest: null });
    try {
      await new JobQueues(redis).enqueueRender({ bundleId: appId, commit: await repo.head() });
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
      const secret = await readGenerated(env);
      expect(secret.data).toEqual(generated[index]?.data);
      expect(secret.metadata?.resourceVersion).toBe(generated[index]?.metadata?.resourceVersion);
    }
  });
});
