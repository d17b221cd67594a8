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
import { json, objectExists, registerCluster, type ApiCluster } from './clusters-api.ts';

const NAMESPACE = 'hooks-it';

interface ApiDeployment {
  bundleName: string;
  state: string;
  message: string;
}

const job = (name: string, hook: string, policy: string) => `apiVersion: batch/v1
kind: Job
metadata:
  name: ${name}
  annotations:
    helm.sh/hook: ${hook}
    helm.sh/hook-weight: "-5"
    helm.sh/hook-delete-policy: ${policy}
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: run
          image: busybox:1.36
          command: ["true"]
`;

const settings = (name: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}-settings
data:
  greeting: {{ .Values.greeting | quote }}
`;

const chartFiles = (greeting: string): Record<string, string> => ({
  'hooked/fleet.yaml': `defaultNamespace: ${NAMESPACE}\nhelm:\n  releaseName: hooked\n  timeoutSeconds: 120\n  values:\n    greeting: ${greeting}\n`,
  'hooked/Chart.yaml': 'apiVersion: v2\nname: hooked\nversion: 0.1.0\n',
  'hooked/templates/migrate.yaml': job(
    'hooked-migrate',
    'pre-install,pre-upgrade',
    'hook-succeeded',
  ),
  'hooked/templates/settings.yaml': settings('hooked'),
  // No delete policy: before-hook-creation, so it stays until the next run re-creates it.
  'hooked/templates/notify.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: hooked-notify
  annotations:
    helm.sh/hook: post-install,post-upgrade
data:
  greeting: {{ .Values.greeting | quote }}
`,
  'hooked/templates/tests/smoke.yaml': `apiVersion: v1
kind: Pod
metadata:
  name: hooked-smoke
  annotations:
    helm.sh/hook: test
spec:
  restartPolicy: Never
  containers:
    - name: smoke
      image: busybox:1.36
`,
});

const REPO_FILES: Record<string, string> = {
  ...chartFiles('hello'),
  // A pre-install hook that never completes (no Job controller): ErrApplied after 3 s.
  'stuck/fleet.yaml': `defaultNamespace: ${NAMESPACE}\nhelm:\n  releaseName: stuck\n  timeoutSeconds: 3\n`,
  'stuck/Chart.yaml': 'apiVersion: v2\nname: stuck\nversion: 0.1.0\n',
  'stuck/templates/wait.yaml': job('stuck-wait', 'pre-install', 'hook-failed'),
  'stuck/templates/settings.yaml': settings('stuck'),
  'stuck/values.yaml': 'greeting: never\n',
};

/** Envtest has no Job controller: write the status a completed Job gets. */
async function markJobComplete(cluster: TestCluster, namespace: string, name: string) {
  const batch = kubeConfigFor(cluster).makeApiClient(k8s.BatchV1Api);
  const live = await batch.readNamespacedJob({ name, namespace });
  const now = new Date();
  live.status = {
    startTime: now,
    completionTime: now,
    succeeded: 1,
    conditions: [{ type: 'Complete', status: 'True', lastProbeTime: now, lastTransitionTime: now }],
  };
  await batch.replaceNamespacedJobStatus({ name, namespace, body: live });
}

describe('Helm hooks: applied in Helm order around the manifests, once per revision', () => {
  let envtest: TestClusters;
  let platform: Platform;
  let repo: BareRepo;
  let cluster: ApiCluster;
  let core: k8s.CoreV1Api;

  const test = () => envtest.clusters[0]!;
  const ref = (kind: 'ConfigMap' | 'Pod', name: string) => ({
    apiVersion: 'v1',
    kind,
    namespace: NAMESPACE,
    name,
  });
  const jobRef = (name: string) => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    namespace: NAMESPACE,
    name,
  });
  const deploymentOf = async (folder: string) => {
    const { items } = await json<{ items: ApiDeployment[] }>(
      await platform.api(`/api/v1/clusters/${cluster.id}/deployments`),
    );
    return items.find((item) => item.bundleName.endsWith(folder));
  };
  const waitForState = (folder: string, state: string) =>
    vi.waitFor(
      async () => {
        const deployment = await deploymentOf(folder);
        if (deployment?.state !== state)
          throw new Error(`${folder} is ${deployment?.state}: ${deployment?.message}`);
        return deployment;
      },
      { timeout: 90_000, interval: 300 },
    );
  const waitForJob = (name: string) =>
    vi.waitFor(
      async () => {
        if (!(await objectExists(test(), jobRef(name)))) throw new Error(`no Job ${name} yet`);
      },
      { timeout: 90_000, interval: 200 },
    );
  /** Writes by Flotilla (not this test's status patches) to objects whose name starts so. */
  const writesTo = (prefix: string) =>
    test()
      .mutatingRequests()
      .filter(
        (request) =>
          request.requestURI.includes(`/${prefix}`) && !request.requestURI.includes('/status'),
      );

  beforeAll(async () => {
    [envtest, platform] = await Promise.all([
      startTestClusters(1, { names: ['solo'] }),
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
    cluster = await registerCluster(platform, test(), { env: 'dev' });
    core = kubeConfigFor(test()).makeApiClient(k8s.CoreV1Api);
  });

  afterAll(async () => {
    if (process.env.FLOTILLA_TEST_DEBUG)
      console.log(`WORKER\n${platform?.workerLog().slice(-12000)}`);
    await platform?.stop();
    await envtest?.stopAll();
    await repo?.remove();
  });

  it('holds the manifests until the pre-install Job completes, then runs the post hook; never the test hook', async () => {
    await json(
      await platform.api('/api/v1/gitrepos', {
        json: {
          name: 'hooks',
          url: repo.url,
          paths: ['hooked', 'stuck'],
          targets: [{ clusterSelector: 'env=dev' }],
        },
      }),
    );
    await waitForJob('hooked-migrate');
    // The deploy waits on the Job: nothing of the release's manifests or post hooks yet.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(await objectExists(test(), ref('ConfigMap', 'hooked-settings'))).toBe(false);
    expect(await objectExists(test(), ref('ConfigMap', 'hooked-notify'))).toBe(false);
    expect(await deploymentOf('hooked')).toMatchObject({ state: 'WaitApplied' });
    expect((await deploymentOf('hooked'))?.message).toContain(
      `running pre-install hook Job ${NAMESPACE}/hooked-migrate`,
    );

    await markJobComplete(test(), NAMESPACE, 'hooked-migrate');
    await waitForState('hooked', 'Ready');
    const manifest = await core.readNamespacedConfigMap({
      name: 'hooked-settings',
      namespace: NAMESPACE,
    });
    const notify = await core.readNamespacedConfigMap({
      name: 'hooked-notify',
      namespace: NAMESPACE,
    });
    expect(manifest.data).toEqual({ greeting: 'hello' });
    expect(notify.data).toEqual({ greeting: 'hello' });
    // etcd's revision orders writes: the post hook was created after the manifest.
    expect(Number(notify.metadata?.resourceVersion)).toBeGreaterThan(
      Number(manifest.metadata?.resourceVersion),
    );
    // hook-succeeded: the completed Job is deleted.
    await vi.waitFor(
      async () => expect(await objectExists(test(), jobRef('hooked-migrate'))).toBe(false),
      { timeout: 10_000, interval: 200 },
    );
    expect(await objectExists(test(), ref('Pod', 'hooked-smoke'))).toBe(false);
    expect(writesTo('hooked-smoke')).toEqual([]);
    // Several monitor passes later the deleted hook is not Missing: hooks are not inventory.
    await new Promise((resolve) => setTimeout(resolve, 5000));
    expect(await deploymentOf('hooked')).toMatchObject({ state: 'Ready' });
  });

  it('fails the deployment naming a hook that does not complete in time, deletes it (hook-failed) and applies nothing else', async () => {
    const stuck = await vi.waitFor(
      async () => {
        const deployment = await deploymentOf('stuck');
        if (deployment?.state !== 'ErrApplied')
          throw new Error(`stuck is ${deployment?.state}: ${deployment?.message}`);
        return deployment;
      },
      { timeout: 60_000, interval: 300 },
    );
    expect(stuck.message).toContain(
      `pre-install hook Job ${NAMESPACE}/stuck-wait did not complete within 3s`,
    );
    expect(
      writesTo('stuck-wait').some(
        (request) => request.verb === 'delete' && request.requestURI.includes('/jobs/stuck-wait'),
      ),
    ).toBe(true);
    expect(await objectExists(test(), ref('ConfigMap', 'stuck-settings'))).toBe(false);
  });

  it('runs no hook again when the same commit renders again; a new revision runs the upgrade hooks', async () => {
    const before = await core.readNamespacedConfigMap({
      name: 'hooked-notify',
      namespace: NAMESPACE,
    });
    const writesBefore = writesTo('hooked-').length;

    const bundle = await platform.database.db.bundle.findFirstOrThrow({
      where: { path: 'hooked' },
    });
    const { db } = platform.database;
    await db.bundleRender.deleteMany({ where: { bundleId: bundle.id } });
    const redis = new Redis(platform.redisUrl, { maxRetriesPerRequest: null });
    try {
      await new JobQueues(redis).enqueueRender({ bundleId: bundle.id, commit: await repo.head() });
      await vi.waitFor(
        async () => expect(await db.bundleRender.count({ where: { bundleId: bundle.id } })).toBe(1),
        { timeout: 30_000, interval: 300 },
      );
    } finally {
      redis.disconnect();
    }
    // Several monitor intervals: no hook Job, no hook ConfigMap written again.
    await new Promise((resolve) => setTimeout(resolve, 6000));
    expect(writesTo('hooked-').slice(writesBefore)).toEqual([]);
    expect(await objectExists(test(), jobRef('hooked-migrate'))).toBe(false);
    const after = await core.readNamespacedConfigMap({
      name: 'hooked-notify',
      namespace: NAMESPACE,
    });
    expect(after.metadata?.uid).toBe(before.metadata?.uid);
    expect(await deploymentOf('hooked')).toMatchObject({ state: 'Ready' });

    // A new revision is Helm's upgrade: the pre-upgrade Job runs again before the manifests.
    await repo.commit(chartFiles('bonjour'), { message: 'new greeting' });
    const { items } = await json<{ items: { id: string }[] }>(
      await platform.api('/api/v1/gitrepos'),
    );
    await platform.api(`/api/v1/gitrepos/${items[0]!.id}/sync`, { method: 'POST' });
    await waitForJob('hooked-migrate');
    expect(
      (await core.readNamespacedConfigMap({ name: 'hooked-settings', namespace: NAMESPACE })).data,
    ).toEqual({ greeting: 'hello' });
    await markJobComplete(test(), NAMESPACE, 'hooked-migrate');
    await vi.waitFor(
      async () => {
        const upgraded = await core.readNamespacedConfigMap({
          name: 'hooked-notify',
          namespace: NAMESPACE,
        });
        expect(upgraded.data).toEqual({ greeting: 'bonjour' });
        // before-hook-creation: the previous hook object was deleted and created anew.
        expect(upgraded.metadata?.uid).not.toBe(before.metadata?.uid);
      },
      { timeout: 60_000, interval: 300 },
    );
    await waitForState('hooked', 'Ready');
    expect(
      (await core.readNamespacedConfigMap({ name: 'hooked-settings', namespace: NAMESPACE })).data,
    ).toEqual({ greeting: 'bonjour' });
  });
});
