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
 * ErrApplied and the rollout halts before the second partition. A rule watching rollout halts,
 * ErrApplied and Offline gets, signed, the halt and each failing deployment once, however many
 * times its deploy retries re-enter ErrApplied.
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
          FLOTILLA_PROBE_INTERVAL_SECONDS: '2',
          FLOTILLA_PROBE_BACKOFF_CAP_SECONDS: '2',
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
          events: ['rollout.halted', 'deployment.ErrApplied', 'deployment.Offline'],
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

  it('sends the halt and each failing deployment once though its deploy retries, signed', async () => {
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

    // The deploy retries: each attempt goes WaitApplied, then ErrApplied again. The same state
    // entered again before Ready is the same incident: no second message for it.
    await vi.waitFor(
      async () => {
        const entries = await platform.database.db.event.findMany({
          where: { type: 'StateChanged', toState: 'ErrApplied' },
          select: { deploymentId: true },
        });
        const perDeployment = new Map<string | null, number>();
        for (const { deploymentId } of entries)
          perDeployment.set(deploymentId, (perDeployment.get(deploymentId) ?? 0) + 1);
        if (![...perDeployment.values()].some((count) => count >= 2))
          throw new Error(`no deployment entered ErrApplied twice yet (${entries.length} entries)`);
      },
      { timeout: 90_000, interval: 500 },
    );
    // A later transition (a wave-2 cluster going Offline) is queued after those re-entries: once
    // its message is here, every re-entry has been through the rule.
    await sim.clusters[3]!.setFault({ unreachable: true });
    await vi.waitFor(
      () => {
        const offline = received
          .flatMap((message) => (JSON.parse(message.body) as { events: Event[] }).events)
          .filter((event) => event.type === 'deployment.Offline');
        if (offline.length === 0) throw new Error('no Offline message yet');
        expect(offline.map((event) => event.cluster?.name)).toEqual([clusterName(3)]);
      },
      { timeout: 90_000, interval: 500 },
    );
    const failedOnce = received
      .flatMap((message) => (JSON.parse(message.body) as { events: Event[] }).events)
      .filter((event) => event.type === 'deployment.ErrApplied');
    expect(failedOnce.map((event) => event.cluster?.name).sort()).toEqual([
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
