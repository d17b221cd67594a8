import { readFileSync } from 'node:fs';
import { startKubeSim, type KubeSim, type SimCluster } from '@flotilla/kube-sim';
import { testPki } from '@flotilla/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  CircuitOpenError,
  classifyError,
  createClusterClient,
  probeCluster,
  RequestTimeoutError,
  type ClusterClient,
} from '../src/index.ts';

/** A cluster's client against kube-sim's `hang` fault: accepts connections, never answers. */
describe('the per-cluster circuit breaker against a hanging API server', () => {
  let sim: KubeSim;
  let cluster: SimCluster;
  const clients: ClusterClient[] = [];
  const clientFor = (baseDelayMs: number) => {
    const client = createClusterClient(
      {
        apiServerUrl: cluster.url,
        caData: cluster.caData!,
        insecureSkipTlsVerify: false,
        credentials: { kind: 'token', token: cluster.token },
      },
      { concurrency: 1, timeoutMs: 400, breaker: { failureThreshold: 3, baseDelayMs } },
    );
    clients.push(client);
    return client;
  };
  const outcome = (promise: Promise<unknown>) =>
    promise.then(
      () => 'answered',
      (error: unknown) =>
        error instanceof CircuitOpenError
          ? 'refused'
          : error instanceof RequestTimeoutError
            ? 'timeout'
            : String(error),
    );

  beforeAll(async () => {
    const pki = testPki();
    sim = await startKubeSim({
      clusters: 1,
      tls: {
        cert: readFileSync(pki.serverCertFile),
        key: readFileSync(pki.serverKeyFile),
        ca: readFileSync(pki.caCertFile),
      },
    });
    cluster = sim.clusters[0]!;
  });

  afterAll(async () => {
    for (const client of clients) client.close();
    await sim?.stop();
  });

  it('fails the queued requests at once after three timeouts, as unreachable', async () => {
    const client = clientFor(60_000);
    expect((await probeCluster(client)).ok).toBe(true);
    await cluster.setFault({ hang: true });
    try {
      const requests = Array.from({ length: 6 }, (_, index) =>
        outcome(client.request({ method: 'GET', path: `/api/v1/namespaces/ns-${index}` })),
      );
      // One request at a time (concurrency 1): three wait out their budget, the three queued
      // behind them are refused without being sent.
      expect(await Promise.all(requests)).toEqual([
        'timeout',
        'timeout',
        'timeout',
        'refused',
        'refused',
        'refused',
      ]);
      expect(client.breakerState()).toBe('open');
      const probe = await probeCluster(client);
      expect(probe).toMatchObject({ ok: false, reason: 'Unreachable' });
      expect(classifyError(new CircuitOpenError(3, 60_000)).reason).toBe('Unreachable');
      if (!probe.ok)
        expect(probe.message).toMatch(
          /^no answer from the API server within 400 ms \(3 requests in a row failed/,
        );
    } finally {
      await cluster.setFault({});
    }
  });

  it('lets one trial through after the wait, and closes when the server answers again', async () => {
    const client = clientFor(300);
    await cluster.setFault({ hang: true });
    for (let index = 0; index < 3; index += 1)
      await outcome(client.request({ method: 'GET', path: '/version' }));
    expect(client.breakerState()).toBe('open');
    await cluster.setFault({});
    await vi.waitFor(() => expect(client.breakerState()).toBe('halfOpen'), {
      timeout: 5000,
      interval: 50,
    });
    expect((await probeCluster(client)).ok).toBe(true);
    expect(client.breakerState()).toBe('closed');
  });
});
