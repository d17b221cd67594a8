import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeSim, type KubeSim, type SimCluster } from '../src/index.ts';
import { call, configMap, failureOf } from './support/sim-client.ts';

/** What only the simulator has: many clusters in one process, faults and counters. */

function connectFailure(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

describe('kube-sim fleet', () => {
  let sim: KubeSim;
  const cluster = (index: number): SimCluster => {
    const found = sim.clusters[index];
    if (!found) throw new Error(`no cluster ${index}`);
    return found;
  };

  beforeAll(async () => {
    sim = await startKubeSim({
      clusters: [
        { name: 'alpha', token: 'alpha-token' },
        { name: 'beta' },
        { name: 'gamma', kubernetesVersion: 'v1.21.1' },
      ],
    });
  });
  afterAll(async () => {
    await sim.stop();
  });

  it('gives every cluster its own address, token, version and objects', async () => {
    const [alpha, beta, gamma] = [cluster(0), cluster(1), cluster(2)];
    expect(new Set(sim.clusters.map((each) => each.url)).size).toBe(3);
    expect(alpha.token).toBe('alpha-token');
    expect((await call(beta, 'GET', '/version', { token: alpha.token })).status).toBe(401);
    expect((await call(gamma, 'GET', '/version')).body).toMatchObject({
      gitVersion: 'v1.21.1',
      minor: '21',
    });
    await call(alpha, 'POST', '/api/v1/namespaces/default/configmaps', {
      body: configMap('default', 'only-on-alpha'),
    });
    expect(
      (await call(beta, 'GET', '/api/v1/namespaces/default/configmaps/only-on-alpha')).status,
    ).toBe(404);
    expect(
      alpha
        .objects()
        .some((object) => (object.metadata as { name?: string }).name === 'only-on-alpha'),
    ).toBe(true);
  });

  it('counts requests, mutating requests (not dry runs) and verbs', async () => {
    const target = cluster(1);
    const before = { ...target.counters, byVerb: { ...target.counters.byVerb } };
    const path = '/api/v1/namespaces/default/configmaps';
    await call(target, 'GET', path);
    await call(target, 'POST', path, { body: configMap('default', 'counted') });
    await call(target, 'POST', `${path}?dryRun=All`, { body: configMap('default', 'dry') });
    await call(target, 'PATCH', `${path}/counted?fieldManager=flotilla`, {
      body: configMap('default', 'counted'),
      contentType: 'application/apply-patch+yaml',
    });
    await call(target, 'DELETE', `${path}/counted`);
    await call(target, 'GET', '/version');
    expect(target.counters.requests - before.requests).toBe(6);
    expect(target.counters.mutating - before.mutating).toBe(3);
    const delta = (verb: string) =>
      (target.counters.byVerb[verb] ?? 0) - (before.byVerb[verb] ?? 0);
    expect([delta('list'), delta('create'), delta('patch'), delta('delete')]).toEqual([1, 2, 1, 1]);
  });

  it('answers 500 InternalError Statuses at the error rate, and normally once cleared', async () => {
    const target = cluster(0);
    await target.setFault({ errorRate: 1 });
    const failed = await call(target, 'GET', '/api/v1/namespaces');
    expect(failed).toMatchObject({
      status: 500,
      body: { kind: 'Status', reason: 'InternalError', code: 500 },
    });
    await target.setFault({});
    expect((await call(target, 'GET', '/api/v1/namespaces')).status).toBe(200);
  });

  it('delays answers by the latency: a client that waits less gives up', async () => {
    const target = cluster(0);
    await target.setFault({ latencyMs: 3000 });
    expect(
      await failureOf(call(target, 'GET', '/version', { signal: AbortSignal.timeout(200) })),
    ).toBe('TimeoutError');
    await target.setFault({});
    expect(
      (await call(target, 'GET', '/version', { signal: AbortSignal.timeout(2000) })).status,
    ).toBe(200);
  });

  it('refuses connections while unreachable and comes back on the same address', async () => {
    const target = cluster(2);
    await target.setFault({ unreachable: true });
    expect(await connectFailure(target.port)).toBe('ECONNREFUSED');
    // Open keep-alive connections were closed too: no request gets through.
    expect(await failureOf(call(target, 'GET', '/version'))).not.toBe('no failure');
    await target.setFault({});
    expect((await call(target, 'GET', '/version')).status).toBe(200);
  });

  it('accepts connections but never answers while hanging', async () => {
    const target = cluster(1);
    await target.setFault({ hang: true });
    expect(await connectFailure(target.port)).toBe('connected');
    expect(
      await failureOf(call(target, 'GET', '/version', { signal: AbortSignal.timeout(300) })),
    ).toBe('TimeoutError');
    await target.setFault({});
    expect((await call(target, 'GET', '/version')).status).toBe(200);
  });
});

describe('kube-sim at scale', () => {
  it('starts 1000 clusters in one process, each answering /version on its own port', async () => {
    const fleet = await startKubeSim({ clusters: 1000 });
    try {
      expect(new Set(fleet.clusters.map((each) => each.port)).size).toBe(1000);
      let answered = 0;
      const queue = [...fleet.clusters];
      const worker = async () => {
        for (let next = queue.shift(); next; next = queue.shift()) {
          const answer = await call(next, 'GET', '/version');
          if (
            answer.status === 200 &&
            (answer.body as { gitVersion?: string }).gitVersion === 'v1.20.2'
          )
            answered += 1;
        }
      };
      await Promise.all(Array.from({ length: 25 }, worker));
      expect(answered).toBe(1000);
    } finally {
      await fleet.stop();
    }
  });
});
