import * as k8s from '@kubernetes/client-node';
import type { DeployOptions, KubeObject } from '@flotilla/engine';
import { createClusterClient, ensureNamespaces, type ClusterClient } from '@flotilla/kube';
import {
  kubeConfigFor,
  startTestClusters,
  type TestCluster,
  type TestClusters,
} from '@flotilla/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  hookRefs,
  planHookRun,
  runPostHooks,
  runPreHooks,
} from '../src/deployments/run-helm-hooks.ts';
import type { Revision } from '../src/deployments/revision-cache.ts';

const NAMESPACE = 'hook-runs';
const ownership = { workspaceId: 'ws-1', bundleId: 'bundle-1' };

function hookJob(name: string, annotations: Record<string, string>): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: NAMESPACE, annotations },
    spec: {
      backoffLimit: 0,
      template: {
        spec: { restartPolicy: 'Never', containers: [{ name: 'run', image: 'busybox:1.36' }] },
      },
    },
  };
}

function hookConfigMap(name: string, annotations: Record<string, string>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: NAMESPACE, annotations },
    data: { made: 'by a hook' },
  };
}

function revisionOf(hooks: KubeObject[], timeoutSeconds = 60): Revision {
  return {
    hash: 'rev-1',
    objects: [],
    hooks,
    deployOptions: { helm: { timeoutSeconds } } as unknown as DeployOptions,
  };
}

/** Envtest has no Job controller: write the status the controller would. */
async function setJobCondition(cluster: TestCluster, name: string, type: 'Complete' | 'Failed') {
  const batch = kubeConfigFor(cluster).makeApiClient(k8s.BatchV1Api);
  const live = await batch.readNamespacedJob({ name, namespace: NAMESPACE });
  const now = new Date();
  live.status = {
    startTime: now,
    ...(type === 'Complete' ? { completionTime: now, succeeded: 1 } : { failed: 1 }),
    conditions: [
      {
        type,
        status: 'True',
        lastProbeTime: now,
        lastTransitionTime: now,
        ...(type === 'Failed'
          ? {
              reason: 'BackoffLimitExceeded',
              message: 'Job has reached the specified backoff limit',
            }
          : {}),
      },
    ],
  };
  await batch.replaceNamespacedJobStatus({ name, namespace: NAMESPACE, body: live });
}

describe('runPreHooks / runPostHooks against a real API server', () => {
  let envtest: TestClusters;
  let cluster: TestCluster;
  let client: ClusterClient;
  let core: k8s.CoreV1Api;

  const exists = async (kind: 'Job' | 'ConfigMap', name: string) => {
    try {
      if (kind === 'Job') {
        await kubeConfigFor(cluster)
          .makeApiClient(k8s.BatchV1Api)
          .readNamespacedJob({ name, namespace: NAMESPACE });
      } else await core.readNamespacedConfigMap({ name, namespace: NAMESPACE });
      return true;
    } catch (error) {
      if (error instanceof k8s.ApiException && error.code === 404) return false;
      throw error;
    }
  };

  beforeAll(async () => {
    envtest = await startTestClusters(1);
    cluster = envtest.clusters[0]!;
    client = createClusterClient({
      apiServerUrl: cluster.url,
      caData: cluster.caData,
      insecureSkipTlsVerify: false,
      credentials: { kind: 'token', token: cluster.token },
    });
    core = kubeConfigFor(cluster).makeApiClient(k8s.CoreV1Api);
    await ensureNamespaces(client, [NAMESPACE]);
  });

  afterAll(async () => {
    client?.close();
    await envtest?.stopAll();
  });

  it('runs nothing for a revision the deployment has applied already', () => {
    const revision = revisionOf([hookJob('any', { 'helm.sh/hook': 'pre-install' })]);
    expect(planHookRun({ deployment: { appliedHash: 'rev-1' }, revision, ownership })).toBe(
      undefined,
    );
    expect(
      planHookRun({ deployment: { appliedHash: null }, revision, ownership })?.objects,
    ).toHaveLength(1);
    // Kept out of a prune of an inventory recorded when hooks were ordinary objects.
    expect(hookRefs(revision)).toEqual([
      { apiVersion: 'batch/v1', kind: 'Job', namespace: NAMESPACE, name: 'any' },
    ]);
  });

  it('waits for a weight group before the next; a later weight waits for the Job to complete', async () => {
    const run = planHookRun({
      deployment: { appliedHash: null },
      revision: revisionOf([
        hookConfigMap('after-job', { 'helm.sh/hook': 'pre-install', 'helm.sh/hook-weight': '5' }),
        hookJob('first-job', {
          'helm.sh/hook': 'pre-install',
          'helm.sh/hook-delete-policy': 'hook-succeeded',
        }),
      ]),
      ownership,
    })!;
    const running = runPreHooks(client, run, []);
    await vi.waitFor(async () => expect(await exists('Job', 'first-job')).toBe(true), {
      timeout: 20_000,
      interval: 100,
    });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await exists('ConfigMap', 'after-job')).toBe(false);
    await setJobCondition(cluster, 'first-job', 'Complete');
    expect(await running).toEqual({ hasWritten: true });
    expect(await exists('ConfigMap', 'after-job')).toBe(true);
    expect(await exists('Job', 'first-job')).toBe(false);
    const live = await core.readNamespacedConfigMap({ name: 'after-job', namespace: NAMESPACE });
    expect(live.metadata?.labels).toMatchObject({ 'flotilla.io/bundle-id': 'bundle-1' });
  });

  it('fails naming a failed Job, deletes it (hook-failed) and runs no later weight', async () => {
    const run = planHookRun({
      deployment: { appliedHash: 'rev-0' },
      revision: revisionOf([
        hookJob('failing-job', {
          'helm.sh/hook': 'pre-upgrade',
          'helm.sh/hook-delete-policy': 'hook-failed',
        }),
        hookConfigMap('never', { 'helm.sh/hook': 'pre-upgrade', 'helm.sh/hook-weight': '1' }),
        hookConfigMap('install-only', { 'helm.sh/hook': 'pre-install' }),
      ]),
      ownership,
    })!;
    const running = runPreHooks(client, run, []);
    await vi.waitFor(async () => expect(await exists('Job', 'failing-job')).toBe(true), {
      timeout: 20_000,
      interval: 100,
    });
    await setJobCondition(cluster, 'failing-job', 'Failed');
    const result = await running;
    expect(result.failure).toBe(
      `pre-upgrade hook Job ${NAMESPACE}/failing-job failed: Job has reached the specified backoff limit`,
    );
    expect(await exists('Job', 'failing-job')).toBe(false);
    expect(await exists('ConfigMap', 'never')).toBe(false);
    expect(await exists('ConfigMap', 'install-only')).toBe(false);
  });

  it('re-creates a hook object (before-hook-creation) and names a Job that outlives the deadline', async () => {
    const hook = hookConfigMap('post-note', { 'helm.sh/hook': 'post-install' });
    const first = planHookRun({
      deployment: { appliedHash: null },
      revision: revisionOf([hook]),
      ownership,
    })!;
    expect(await runPostHooks(client, first)).toEqual({ hasWritten: true });
    const before = await core.readNamespacedConfigMap({ name: 'post-note', namespace: NAMESPACE });
    expect(await runPostHooks(client, first)).toEqual({ hasWritten: true });
    const after = await core.readNamespacedConfigMap({ name: 'post-note', namespace: NAMESPACE });
    expect(after.metadata?.uid).not.toBe(before.metadata?.uid);

    const slow = planHookRun({
      deployment: { appliedHash: null },
      revision: revisionOf([hookJob('slow-job', { 'helm.sh/hook': 'post-install' })], 1),
      ownership,
    })!;
    const result = await runPostHooks(client, slow);
    expect(result.failure).toMatch(
      new RegExp(`^post-install hook Job ${NAMESPACE}/slow-job did not complete within 1s`),
    );
    // No hook-failed policy: the Job stays for a person to look at.
    expect(await exists('Job', 'slow-job')).toBe(true);
  });
});
