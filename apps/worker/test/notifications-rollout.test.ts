import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startKubeSim, type KubeSim } from '@flotilla/kube-sim';
import {
  createBareRepo,
  startPlatform,
  testPki,
  type BareRepo,
  type Platform,
} from '@flotilla/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { json } from './clusters-api.ts';

/*
 * A rollout that halts sends its notification: four simulated clusters in two partitions; the
 * first partition's copy holds an object the API server rejects, so its clusters turn
 * ErrApplied and the rollout halts before the second partition. A rule watching rollout halts
 * and ErrApplied gets, signed, the halt and each failing deployment once.
 */

const SECRET = 'rollout-signing-secret-0123456789';
const clusterName = (index: number) => `halt-${index + 1}`;
const waveOf = (index: number) => (index < 2 ? 1 : 2);

const fleetYaml = [
  'defaultNamespace: halt-app',
  'rolloutStrategy:',
  '  maxUnavailablePartitions: 0',
  '  partitions:',
  '    - name: wave-1',
  '      maxUnavailable: 1',
  '      clusterSelector: { matchLabels: { wave: "1" } }',
  '    - name: wave-2',
  '      maxUnavailable: 1',
  '      clusterSelector: { matchLabels: { wave: "2" } }',
  'targetCustomizations:',
  '  - name: wave-1',
  '    clusterSelector: { matchLabels: { wave: "1" } }',
  '    yaml: { overlays: [wave1] }',
].join('\n');

interface Event {
  type: string;
  bundle: { name: string };
  cluster?: { name: string };
  message: string;
}

describe('notifications: a halted rollout', () => {
  let sim: KubeSim;
  let platform: Platform;
  let repo: BareRepo;
  let receiver: Server;
  const received: { headers: IncomingHttpHeaders; body: string }[] = [];

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({ headers: request.headers, body: Buffer.concat(chunks).toString() });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const pki = testPki();
    [sim, platform, repo] = await Promise.all([
      startKubeSim({
        clusters: Array.from({ length: 4 }, (_, index) => ({ name: clusterName(index) })),
        tls: {
          cert: readFileSync(pki.serverCertFile),
          key: readFileSync(pki.serverKeyFile),
          ca: readFileSync(pki.caCertFile),
        },
      }),
      startPlatform({
        env: {
          FLOTILLA_TICK_SECONDS: '1',
          FLOTILLA_SWEEP_INTERVAL_SECONDS: '2',
          FLOTILLA_MONITOR_INTERVAL_SECONDS: '60',
        },
      }),
      createBareRepo({
        'app/flotilla.yaml': `${fleetYaml}\n`,
        'app/configmap.yaml':
          'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings }\ndata: { version: "1" }\n',
        // A label value the API server refuses (spaces and "!"): wave 1's apply fails.
        'app/overlays/wave1/extra.yaml':
          'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n  labels: { tier: "not a valid value!" }\n',
      }),
    ]);
    for (const [index, cluster] of sim.clusters.entries()) {
      await json(
        await platform.api('/api/v1/clusters', {
          json: {
            name: cluster.name,
            labels: { fleet: 'halt', wave: String(waveOf(index)) },
            apiServerUrl: cluster.url,
            caData: cluster.caData,
            token: cluster.token,
          },
        }),
      );
    }
    await json(
      await platform.api('/api/v1/notifications/rules', {
        json: {
          name: 'rollouts',
          events: ['rollout.halted', 'deployment.ErrApplied'],
          destination: {
            kind: 'webhook',
            url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/rollouts`,
            secret: SECRET,
          },
          windowSeconds: 2,
        },
      }),
    );
  }, 180_000);

  afterAll(async () => {
    if (process.env.FLOTILLA_TEST_DEBUG)
      console.log(`WORKER\n${platform?.workerLog().slice(-12000)}`);
    await platform?.stop();
    await sim?.stop();
    await repo?.remove();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  it('sends the halt and each failing deployment, signed', async () => {
    await json(
      await platform.api('/api/v1/gitrepos', {
        json: {
          name: 'halting',
          url: repo.url,
          paths: ['app'],
          targets: [{ clusterSelector: 'fleet=halt' }],
          pollIntervalSeconds: 3600,
        },
      }),
    );
    const events = await vi.waitFor(
      () => {
        const all = received.flatMap(
          (message) => (JSON.parse(message.body) as { events: Event[] }).events,
        );
        const halts = all.filter((event) => event.type === 'rollout.halted');
        const failed = all.filter((event) => event.type === 'deployment.ErrApplied');
        if (halts.length === 0 || failed.length < 2)
          throw new Error(`${halts.length} halts, ${failed.length} ErrApplied so far`);
        return { halts, failed };
      },
      { timeout: 120_000, interval: 500 },
    );
    expect(events.halts).toHaveLength(1);
    expect(events.halts[0]!.message).toMatch(/^Halted: partition 1 of 2/);
    expect(events.halts[0]!.bundle.name).toContain('app');
    // The failing clusters are wave 1's; each deployment entering ErrApplied is sent once.
    expect(events.failed.map((event) => event.cluster?.name).sort()).toEqual([
      clusterName(0),
      clusterName(1),
    ]);
    for (const message of received) {
      const timestamp = message.headers['x-flotilla-timestamp'] as string;
      expect(message.headers['x-flotilla-signature-256']).toBe(
        `sha256=${createHmac('sha256', SECRET).update(`${timestamp}.${message.body}`).digest('hex')}`,
      );
    }
  });
});
