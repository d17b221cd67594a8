import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:net';
import { FatalWaitError, waitFor } from '@flotilla/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeSim, type KubeSim, type SimCluster } from '../src/index.ts';
import { call, configMap, deployment } from './support/sim-client.ts';

/** The simulated controllers, which envtest does not have, and the CLI. */

interface Status {
  observedGeneration?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  updatedReplicas?: number;
  conditions?: { type: string; status: string; reason: string }[];
}

function conditionsOf(body: unknown): Record<string, string> {
  const status = (body as { status?: Status }).status;
  return Object.fromEntries(
    (status?.conditions ?? []).map((condition) => [
      condition.type,
      `${condition.status}/${condition.reason}`,
    ]),
  );
}

describe('kube-sim controllers', () => {
  let sim: KubeSim;
  let cluster: SimCluster;
  const ns = '/api/v1/namespaces';

  beforeAll(async () => {
    sim = await startKubeSim({
      clusters: 1,
      deploymentReadyDelayMs: 400,
      namespaceDeletionDelayMs: 50,
    });
    cluster = sim.clusters[0] as SimCluster;
  });
  afterAll(async () => {
    await sim.stop();
  });

  async function newNamespace(name: string): Promise<void> {
    expect(
      (
        await call(cluster, 'POST', ns, {
          body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } },
        })
      ).status,
    ).toBe(201);
  }

  it('rolls a Deployment out: progressing first, Available after the delay, again after a spec change', async () => {
    await newNamespace('rollout');
    const url = '/apis/apps/v1/namespaces/rollout/deployments';
    await call(cluster, 'POST', url, { body: deployment('rollout', 'web', 3) });
    const progressing = await waitFor('a progressing status', async () => {
      const answer = await call(cluster, 'GET', `${url}/web`);
      return conditionsOf(answer.body).Progressing === 'True/ReplicaSetUpdated'
        ? answer.body
        : undefined;
    });
    expect(conditionsOf(progressing).Available).toBe('False/MinimumReplicasUnavailable');
    const available = await waitFor('an Available status', async () => {
      const answer = await call(cluster, 'GET', `${url}/web`);
      return conditionsOf(answer.body).Available === 'True/MinimumReplicasAvailable'
        ? answer.body
        : undefined;
    });
    expect((available as { status: Status }).status).toMatchObject({
      observedGeneration: 1,
      readyReplicas: 3,
      availableReplicas: 3,
      updatedReplicas: 3,
    });
    await call(cluster, 'PATCH', `${url}/web`, {
      body: { spec: { replicas: 1 } },
      contentType: 'application/merge-patch+json',
    });
    const scaled = await waitFor('the new generation to be rolled out', async () => {
      const body = (await call(cluster, 'GET', `${url}/web`)).body as { status: Status };
      return body.status.observedGeneration === 2 &&
        conditionsOf(body).Progressing === 'True/NewReplicaSetAvailable'
        ? body
        : undefined;
    });
    expect(scaled.status).toMatchObject({
      readyReplicas: 1,
      availableReplicas: 1,
      updatedReplicas: 1,
    });
  });

  it('makes StatefulSets and DaemonSets ready and Jobs complete', async () => {
    await newNamespace('workloads');
    const sts = deployment('workloads', 'db', 2);
    sts.kind = 'StatefulSet';
    (sts.spec as Record<string, unknown>).serviceName = 'db';
    await call(cluster, 'POST', '/apis/apps/v1/namespaces/workloads/statefulsets', { body: sts });
    await call(cluster, 'POST', '/apis/apps/v1/namespaces/workloads/daemonsets', {
      body: { ...deployment('workloads', 'agent'), kind: 'DaemonSet' },
    });
    const job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'migrate', namespace: 'workloads' },
      spec: {
        template: {
          spec: { restartPolicy: 'Never', containers: [{ name: 'm', image: 'busybox:1.32' }] },
        },
      },
    };
    await call(cluster, 'POST', '/apis/batch/v1/namespaces/workloads/jobs', { body: job });
    const ready = await waitFor('workloads to be ready', async () => {
      const [statefulSet, daemonSet, completed] = await Promise.all([
        call(cluster, 'GET', '/apis/apps/v1/namespaces/workloads/statefulsets/db'),
        call(cluster, 'GET', '/apis/apps/v1/namespaces/workloads/daemonsets/agent'),
        call(cluster, 'GET', '/apis/batch/v1/namespaces/workloads/jobs/migrate'),
      ]);
      const isDone =
        (completed.body as { status?: { succeeded?: number } }).status?.succeeded === 1;
      return (statefulSet.body as { status: Status }).status.readyReplicas === 2 && isDone
        ? { statefulSet, daemonSet, completed }
        : undefined;
    });
    expect((ready.statefulSet.body as { status: object }).status).toMatchObject({
      observedGeneration: 1,
      currentReplicas: 2,
      updatedReplicas: 2,
    });
    expect((ready.daemonSet.body as { status: object }).status).toMatchObject({
      desiredNumberScheduled: 1,
      numberAvailable: 1,
      updatedNumberScheduled: 1,
    });
    expect(conditionsOf(ready.completed.body).Complete).toMatch(/^True/);
  });

  it('empties a deleted namespace, then removes it', async () => {
    await newNamespace('doomed');
    await call(cluster, 'POST', `${ns}/doomed/configmaps`, {
      body: configMap('doomed', 'content'),
    });
    expect((await call(cluster, 'DELETE', `${ns}/doomed`)).body).toMatchObject({
      status: { phase: 'Terminating' },
    });
    await waitFor('the namespace to be gone', async () =>
      (await call(cluster, 'GET', `${ns}/doomed`)).status === 404 ? true : undefined,
    );
    expect(
      cluster
        .objects()
        .filter((object) => (object.metadata as { namespace?: string }).namespace === 'doomed'),
    ).toEqual([]);
  });

  it('deletes dependents with their owner, in the foreground when asked', async () => {
    await newNamespace('owned');
    const owner = (
      await call(cluster, 'POST', '/apis/apps/v1/namespaces/owned/deployments', {
        body: deployment('owned', 'web'),
      })
    ).body as { metadata: { uid: string } };
    const ownerReference = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'web',
      uid: owner.metadata.uid,
    };
    await call(cluster, 'POST', `${ns}/owned/configmaps`, {
      body: configMap('owned', 'dependent', { ownerReferences: [ownerReference] }),
    });
    const marked = await call(
      cluster,
      'DELETE',
      '/apis/apps/v1/namespaces/owned/deployments/web?propagationPolicy=Foreground',
    );
    expect(marked.body).toMatchObject({ metadata: { finalizers: ['foregroundDeletion'] } });
    await waitFor('owner and dependent to be gone', async () => {
      const [ownerNow, dependentNow] = await Promise.all([
        call(cluster, 'GET', '/apis/apps/v1/namespaces/owned/deployments/web'),
        call(cluster, 'GET', `${ns}/owned/configmaps/dependent`),
      ]);
      return ownerNow.status === 404 && dependentNow.status === 404 ? true : undefined;
    });
  });

  it('streams watch events: current objects first, then changes', async () => {
    await newNamespace('watched');
    await call(cluster, 'POST', `${ns}/watched/configmaps`, {
      body: configMap('watched', 'first'),
    });
    const controller = new AbortController();
    const response = await fetch(`${cluster.url}${ns}/watched/configmaps?watch=true`, {
      headers: { Authorization: `Bearer ${cluster.token}` },
      signal: controller.signal,
    });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const events: string[] = [];
    let buffer = '';
    await call(cluster, 'POST', `${ns}/watched/configmaps`, {
      body: configMap('watched', 'second'),
    });
    while (events.length < 2) {
      const { value } = await reader.read();
      buffer += new TextDecoder().decode(value);
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines.filter(Boolean)) {
        const event = JSON.parse(line) as { type: string; object: { metadata: { name: string } } };
        events.push(`${event.type} ${event.object.metadata.name}`);
      }
    }
    controller.abort();
    expect(events).toEqual(['ADDED first', 'ADDED second']);
  });
});

/** Whether a TCP port on 127.0.0.1 can be listened on now. */
function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * Two consecutive free ports below the OS's ephemeral range (32768 and up here), where the other
 * test files' listeners on port 0 never land: the CLI binds both a moment later.
 */
async function freePortPair(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const port = 20_000 + Math.floor(Math.random() * 10_000);
    if ((await isFree(port)) && (await isFree(port + 1))) return port;
  }
  throw new Error('no two consecutive free ports between 20000 and 30000');
}

describe('kube-sim CLI', () => {
  it('starts a fleet and writes its state file', async () => {
    const state = path.join(mkdtempSync(path.join(tmpdir(), 'kube-sim-cli-')), 'fleet.json');
    const port = await freePortPair();
    const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
    const tsx = fileURLToPath(new URL('../../../node_modules/tsx/dist/cli.mjs', import.meta.url));
    const child = spawn(
      process.execPath,
      [tsx, cli, '--clusters', '2', '--port', String(port), '--state', state],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      await waitFor(
        'the state file',
        async () => {
          if (existsSync(state)) return true;
          // A CLI that stopped (a port taken after all, say) says why, at once.
          if (child.exitCode !== null)
            throw new FatalWaitError(`kube-sim exited with ${child.exitCode}: ${stderr}`);
          return undefined;
        },
        { timeoutMs: 60_000 },
      );
      const fleet = JSON.parse(readFileSync(state, 'utf8')) as {
        name: string;
        url: string;
        token: string;
        caData: string;
      }[];
      expect(fleet.map(({ name, url }) => [name, url])).toEqual([
        ['sim-1', `http://127.0.0.1:${port}`],
        ['sim-2', `http://127.0.0.1:${port + 1}`],
      ]);
      const second = fleet[1] as { url: string; token: string };
      expect((await call(second, 'GET', '/version')).body).toMatchObject({ gitVersion: 'v1.20.2' });
    } finally {
      child.kill('SIGTERM');
    }
  });
});
