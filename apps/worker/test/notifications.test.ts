import { createHmac, timingSafeEqual } from 'node:crypto';
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
import pLimit from 'p-limit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { json } from './clusters-api.ts';

/*
 * Notifications end to end: real Postgres, Redis, worker and web, 200 simulated clusters, and an
 * HTTP receiver started here. The receiver checks what a user's receiver would: the HMAC of each
 * message (computed here from the secret, as docs/NOTIFICATIONS.md tells users to), how many
 * messages arrive, and what they say.
 */

const CLUSTERS = 200;
const clusterName = (index: number) => `notify-${String(index + 1).padStart(3, '0')}`;

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

interface WebhookBody {
  type: string;
  deliveryId: string;
  rule: { id: string; name: string };
  summary: string;
  eventCount: number;
  events: {
    type: string;
    cluster?: { name: string };
    bundle: { name: string };
    fromState?: string;
    toState?: string;
  }[];
}

interface Delivery {
  id: string;
  kind: string;
  status: string;
  summary: string;
  eventCount: number;
  attempts: { attempt: number; statusCode: number | null; error: string | null }[];
}

const SECRETS = {
  canary: 'canary-signing-secret-0123456789',
  fleet: 'fleet-signing-secret-0123456789ab',
  flaky: 'flaky-signing-secret-0123456789ab',
};

/** What a receiver does: recompute the HMAC over "<timestamp>.<body>" and compare in constant time. */
function isSignedWith(secret: string, message: Received): boolean {
  const timestamp = message.headers['x-flotilla-timestamp'];
  const signature = message.headers['x-flotilla-signature-256'];
  if (typeof timestamp !== 'string' || typeof signature !== 'string') return false;
  const expected = Buffer.from(
    `sha256=${createHmac('sha256', secret).update(`${timestamp}.${message.body}`).digest('hex')}`,
  );
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

describe('notifications: signed webhooks, retries, one summary for a fleet-wide outage', () => {
  let sim: KubeSim;
  let platform: Platform;
  let repo: BareRepo;
  let receiver: Server;
  let receiverUrl: string;
  const received: Received[] = [];
  /** Paths that answer 500 to their first message (then 200). */
  const failFirst = new Set(['/flaky']);
  const rules: Record<'canary' | 'fleet' | 'flaky', string> = { canary: '', fleet: '', flaky: '' };

  const messagesTo = (path: string) => received.filter((message) => message.path === path);
  const deliveries = async (ruleId: string) =>
    (
      await json<{ items: Delivery[] }>(
        await platform.api(`/api/v1/notifications/rules/${ruleId}/deliveries`),
      )
    ).items;
  const createRule = async (body: unknown) =>
    (await json<{ id: string }>(await platform.api('/api/v1/notifications/rules', { json: body })))
      .id;

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const path = request.url ?? '';
        received.push({ path, headers: request.headers, body: Buffer.concat(chunks).toString() });
        if (failFirst.delete(path)) {
          response.writeHead(500).end('try again');
          return;
        }
        response.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

    const pki = testPki();
    [sim, platform, repo] = await Promise.all([
      startKubeSim({
        clusters: Array.from({ length: CLUSTERS }, (_, index) => ({ name: clusterName(index) })),
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
          FLOTILLA_SWEEP_INTERVAL_SECONDS: '5',
          FLOTILLA_MONITOR_INTERVAL_SECONDS: '60',
          FLOTILLA_CLUSTER_REQUEST_TIMEOUT_SECONDS: '5',
        },
      }),
      createBareRepo({
        'bundles/settings/flotilla.yaml': 'defaultNamespace: notify\n',
        'bundles/settings/configmap.yaml': [
          'apiVersion: v1',
          'kind: ConfigMap',
          'metadata: { name: settings }',
          'data: { colour: blue }',
        ].join('\n'),
      }),
    ]);
    const limit = pLimit(8);
    await Promise.all(
      sim.clusters.map((cluster, index) =>
        limit(() =>
          platform
            .api('/api/v1/clusters', {
              json: {
                name: cluster.name,
                labels: { fleet: 'notify', tier: index === 0 ? 'canary' : 'main' },
                apiServerUrl: cluster.url,
                caData: cluster.caData,
                token: cluster.token,
              },
            })
            .then(json),
        ),
      ),
    );
    await json(
      await platform.api('/api/v1/gitrepos', {
        json: {
          name: 'notify',
          url: repo.url,
          paths: ['bundles'],
          targets: [{ clusterSelector: 'fleet=notify' }],
          pollIntervalSeconds: 3600,
        },
      }),
    );
    await vi.waitFor(
      async () => {
        const ready = await platform.database.db.bundleDeployment.count({
          where: { state: 'Ready' },
        });
        if (ready < CLUSTERS) throw new Error(`${ready}/${CLUSTERS} deployments Ready`);
      },
      { timeout: 180_000, interval: 1000 },
    );

    rules.canary = await createRule({
      name: 'canary offline',
      events: ['deployment.Offline'],
      clusterSelector: 'tier=canary',
      destination: { kind: 'webhook', url: `${receiverUrl}/canary`, secret: SECRETS.canary },
      windowSeconds: 1,
    });
    rules.fleet = await createRule({
      name: 'fleet',
      events: ['deployment.Offline', 'deployment.ErrApplied', 'rollout.halted'],
      destination: { kind: 'webhook', url: `${receiverUrl}/fleet`, secret: SECRETS.fleet },
      // Wide enough for 200 clusters failing their probes on a loaded 2-core machine.
      windowSeconds: 45,
    });
    rules.flaky = await createRule({
      name: 'flaky receiver',
      events: ['deployment.ErrApplied'],
      destination: { kind: 'webhook', url: `${receiverUrl}/flaky`, secret: SECRETS.flaky },
    });
  }, 300_000);

  afterAll(async () => {
    if (process.env.FLOTILLA_TEST_DEBUG)
      console.log(`WORKER\n${platform?.workerLog().slice(-12000)}`);
    await platform?.stop();
    await sim?.stop();
    await repo?.remove();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  it('never returns a destination URL path or a secret, and refuses bad rules naming the field', async () => {
    const slackSecretPath = '/services/T0000/B0000/slackSecretToken123';
    const slack = await createRule({
      name: 'slack',
      events: ['rollout.halted'],
      destination: { kind: 'slack', url: `https://hooks.slack.com${slackSecretPath}` },
      isEnabled: false,
    });
    const answers = [
      await platform.api('/api/v1/notifications/rules').then((response) => response.text()),
      await platform.api(`/api/v1/notifications/rules/${slack}`).then((r) => r.text()),
      await platform.api(`/api/v1/notifications/rules/${rules.fleet}`).then((r) => r.text()),
      await platform
        .api(`/api/v1/notifications/rules/${rules.fleet}`, {
          method: 'PATCH',
          json: { windowSeconds: 45 },
        })
        .then((r) => r.text()),
    ];
    for (const answer of answers) {
      for (const secret of [...Object.values(SECRETS), 'slackSecretToken123', '/fleet', '/canary'])
        expect(answer).not.toContain(secret);
    }
    // Every change is audited, with the destination's host only.
    const audit = await platform
      .api('/api/v1/audit?objectType=notification-rule&limit=100')
      .then((response) => response.text());
    const entries = (
      JSON.parse(audit) as { items: { action: string; objectId: string; details: unknown }[] }
    ).items;
    expect(entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: 'notification-rule.create', objectId: slack }),
        expect.objectContaining({
          action: 'notification-rule.update',
          objectId: rules.fleet,
          details: expect.objectContaining({ destination: `webhook ${receiverUrl}` }),
        }),
      ]),
    );
    answers.push(audit);
    for (const secret of [...Object.values(SECRETS), 'slackSecretToken123', '/fleet', '/canary'])
      expect(audit).not.toContain(secret);
    const rule = JSON.parse(answers[1]!) as { destination: unknown };
    expect(rule.destination).toEqual({
      kind: 'slack',
      urlHint: 'https://hooks.slack.com',
      hasSecret: false,
    });

    const bad = await platform.api('/api/v1/notifications/rules', {
      json: {
        name: 'bad',
        events: ['deployment.Sunny'],
        clusterSelector: 'env in (',
        destination: { kind: 'webhook', url: 'http://example.com/hook' },
      },
    });
    expect(bad.status).toBe(422);
    const problem = (await bad.json()) as { errors: { path: string }[] };
    expect(problem.errors.map((error) => error.path)).toContain('events[0]');
    const unsigned = await platform.api('/api/v1/notifications/rules', {
      json: {
        name: 'bad',
        events: ['deployment.Offline'],
        clusterSelector: 'env in (',
        destination: { kind: 'webhook', url: 'http://example.com/hook' },
      },
    });
    expect(unsigned.status).toBe(422);
    const paths = ((await unsigned.json()) as { errors: { path: string }[] }).errors.map(
      (error) => error.path,
    );
    expect(paths).toEqual(expect.arrayContaining(['destination.url', 'destination.secret']));
    expect(paths.some((path) => path.startsWith('clusterSelector'))).toBe(true);
  });

  it('sends a test message again after a 500, and the delivery log shows both attempts', async () => {
    const test = await platform.api(`/api/v1/notifications/rules/${rules.flaky}/test`, {
      method: 'POST',
    });
    expect(test.status).toBe(202);
    const queued = (await test.json()) as Delivery;
    const delivered = await vi.waitFor(
      async () => {
        const [delivery] = await deliveries(rules.flaky);
        if (delivery?.status !== 'delivered')
          throw new Error(`delivery is ${delivery?.status}: ${JSON.stringify(delivery?.attempts)}`);
        return delivery;
      },
      { timeout: 60_000, interval: 500 },
    );
    expect(delivered.id).toBe(queued.id);
    expect(delivered.kind).toBe('test');
    expect(delivered.attempts.map(({ attempt, statusCode }) => ({ attempt, statusCode }))).toEqual([
      { attempt: 1, statusCode: 500 },
      { attempt: 2, statusCode: 200 },
    ]);
    expect(delivered.attempts[0]!.error).toBe('HTTP 500');
    const messages = messagesTo('/flaky');
    expect(messages).toHaveLength(2);
    for (const message of messages) {
      expect(message.headers['x-flotilla-delivery']).toBe(queued.id);
      expect(isSignedWith(SECRETS.flaky, message)).toBe(true);
      expect(isSignedWith(SECRETS.fleet, message)).toBe(false);
    }
    expect(messages[1]!.body).toBe(messages[0]!.body);
    const log = await platform
      .api(`/api/v1/notifications/rules/${rules.flaky}/deliveries`)
      .then((response) => response.text());
    expect(log).not.toContain(SECRETS.flaky);
    expect(log).not.toContain('/flaky');
  });

  it('200 clusters going Offline at once send ONE summary, and the canary rule one message for its cluster', async () => {
    await Promise.all(sim.clusters.map((cluster) => cluster.setFault({ unreachable: true })));
    await vi.waitFor(
      async () => {
        const offline = await platform.database.db.bundleDeployment.count({
          where: { state: 'Offline' },
        });
        if (offline < CLUSTERS) throw new Error(`${offline}/${CLUSTERS} deployments Offline`);
      },
      { timeout: 120_000, interval: 1000 },
    );
    const [summary] = await vi.waitFor(
      async () => {
        const messages = messagesTo('/fleet');
        if (messages.length === 0) throw new Error('no message to the fleet rule yet');
        return messages;
      },
      { timeout: 120_000, interval: 500 },
    );
    // Every transition was queued before the summary went out: nothing more comes for the fleet.
    expect(messagesTo('/fleet')).toHaveLength(1);
    expect(isSignedWith(SECRETS.fleet, summary!)).toBe(true);
    const body = JSON.parse(summary!.body) as WebhookBody;
    expect(body.rule).toEqual({ id: rules.fleet, name: 'fleet' });
    expect(body.eventCount).toBe(CLUSTERS);
    expect(body.summary).toMatch(
      /^200 deployments on 200 clusters entered Offline: notify-\d{3}(, notify-\d{3}){9}, \.\.\. and 190 more$/,
    );
    expect(new Set(body.events.map((event) => event.cluster?.name)).size).toBe(CLUSTERS);
    expect(body.events.every((event) => event.type === 'deployment.Offline')).toBe(true);
    expect(summary!.headers['x-flotilla-delivery']).toBe(body.deliveryId);

    // The canary rule's selector matches one cluster: one message, for that transition only.
    const canary = await vi.waitFor(
      () => {
        const messages = messagesTo('/canary');
        if (messages.length === 0) throw new Error('no message to the canary rule yet');
        return messages;
      },
      { timeout: 30_000, interval: 500 },
    );
    expect(canary).toHaveLength(1);
    expect(isSignedWith(SECRETS.canary, canary[0]!)).toBe(true);
    const canaryBody = JSON.parse(canary[0]!.body) as WebhookBody;
    expect(canaryBody.eventCount).toBe(1);
    expect(canaryBody.events[0]).toMatchObject({
      type: 'deployment.Offline',
      cluster: { name: clusterName(0) },
      bundle: { name: expect.stringContaining('settings') },
      toState: 'Offline',
    });
    expect(canaryBody.summary).toMatch(/^Bundle .*settings on notify-001 entered Offline/);

    const [logged] = await deliveries(rules.fleet);
    expect(logged).toMatchObject({ kind: 'events', eventCount: CLUSTERS, status: 'delivered' });
    expect(logged!.attempts.map(({ statusCode }) => statusCode)).toEqual([200]);
    // The flaky rule watches ErrApplied only: the outage sent it nothing new.
    expect(messagesTo('/flaky')).toHaveLength(2);
  });
});
