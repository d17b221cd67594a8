import {
  addControllerChildren,
  createBareRepo,
  startPlatform,
  startTestClusters,
  type BareRepo,
  type Platform,
  type TestClusters,
} from '@flotilla/testkit';
import type { DeploymentLiveDto, ObjectEventsDto } from '@flotilla/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { json } from './access-helpers.ts';

const NAMESPACE = 'live-it';
/** base64 of the password: neither it nor its decoded form may appear in any answer. */
const PASSWORD_B64 = Buffer.from('hunter2-very-secret').toString('base64');

const FILES = {
  'app/fleet.yaml': `defaultNamespace: ${NAMESPACE}\n`,
  'app/secret.yaml': `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  password: ${PASSWORD_B64}\n`,
  'app/deployment.yaml': [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: web',
    'spec:',
    '  replicas: 1',
    '  selector:',
    '    matchLabels: { app: web }',
    '  template:',
    '    metadata:',
    '      labels: { app: web }',
    '    spec:',
    '      containers:',
    '        - name: web',
    '          image: nginx:1.27',
    '',
  ].join('\n'),
};

interface ApiDeployment {
  id: string;
  clusterName: string;
  appliedRevision: string | null;
  desiredRevision: string | null;
}

/**
 * GET /deployments/{id}/live and its events: desired against live read by the worker from a
 * real API server, Secret values masked on both sides, the resource tree by owner references,
 * and an unreachable cluster or an unknown id answered in words.
 */
describe('the live view of a deployment', () => {
  let envtest: TestClusters;
  let platform: Platform;
  let repo: BareRepo;
  let bundleId: string;
  const deployments = async () =>
    (
      await json<{ items: ApiDeployment[] }>(
        await platform.api(`/api/v1/bundles/${bundleId}/deployments`),
      )
    ).items;

  beforeAll(async () => {
    [envtest, platform, repo] = await Promise.all([
      startTestClusters(1, { names: ['live-1'] }),
      startPlatform({ env: { FLOTILLA_PROBE_INTERVAL_SECONDS: '2' } }),
      createBareRepo(FILES),
    ]);
    const [cluster] = envtest.clusters;
    for (const json of [
      {
        name: cluster!.name,
        labels: { env: 'live' },
        apiServerUrl: cluster!.url,
        caData: cluster!.caData,
        token: cluster!.token,
      },
      // Nothing listens there: the live read says the cluster did not answer.
      {
        name: 'live-gone',
        labels: { env: 'live' },
        apiServerUrl: 'https://127.0.0.1:1',
        token: 'x',
      },
      // Reached by no one but its agent (none runs here): nothing to read live.
      { connectionKind: 'agent', name: 'live-agent', labels: { env: 'live' } },
    ]) {
      expect((await platform.api('/api/v1/clusters', { json })).status).toBe(201);
    }
    const gitRepo = await json<{ id: string }>(
      await platform.api('/api/v1/gitrepos', {
        json: { name: 'live', url: repo.url, targets: [{ clusterSelector: 'env=live' }] },
      }),
    );
    bundleId = await vi.waitFor(
      async () => {
        const found = await json<{ bundles: { id: string }[] }>(
          await platform.api(`/api/v1/gitrepos/${gitRepo.id}`),
        );
        if (!found.bundles[0]) throw new Error('no bundle yet');
        return found.bundles[0].id;
      },
      { timeout: 60_000, interval: 300 },
    );
    await vi.waitFor(
      async () => {
        const all = await deployments();
        const applied = all.find((d) => d.clusterName === 'live-1');
        if (!applied?.appliedRevision) throw new Error('not applied yet');
        if (!all.some((d) => d.clusterName === 'live-agent' && d.desiredRevision))
          throw new Error('the agent cluster has no desired revision yet');
      },
      { timeout: 90_000, interval: 500 },
    );
    await addControllerChildren(cluster!, { namespace: NAMESPACE, deployment: 'web' });
  }, 180_000);

  afterAll(async () => {
    await platform?.stop();
    await envtest?.stopAll();
    await repo?.remove();
  });

  const deploymentOn = async (clusterName: string) =>
    (await deployments()).find((deployment) => deployment.clusterName === clusterName)!;

  it('shows desired and live side by side with Secret values masked, and the tree', async () => {
    const { id } = await deploymentOn('live-1');
    const response = await platform.api(`/api/v1/deployments/${id}/live`);
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(text).not.toContain(PASSWORD_B64);
    expect(text).not.toContain('hunter2');
    // No credential of the cluster ever travels with the answer.
    expect(text).not.toContain(envtest.clusters[0]!.token);
    const live = JSON.parse(text) as DeploymentLiveDto;
    expect(live.live.status).toBe('read');
    const secret = live.objects.find((object) => object.kind === 'Secret')!;
    expect(secret.desired?.yaml).toContain('password: "********"');
    expect(secret.live?.yaml).toContain('password: "********"');
    expect(secret.live?.yaml).not.toContain('managedFields');
    const web = live.objects.find((object) => object.kind === 'Deployment')!;
    expect(web.desired?.yaml).toContain('image: nginx:1.27');
    expect(web.live?.yaml).toContain('uid:');

    const root = live.tree.find((node) => node.kind === 'Deployment')!;
    expect(root.name).toBe('web');
    expect(root.children.map((child) => `${child.kind}/${child.name}`)).toEqual([
      'ReplicaSet/web-7d4b9c',
    ]);
    expect(root.children[0]!.children).toMatchObject([
      { kind: 'Pod', name: 'web-7d4b9c-x2k9q', health: 'Healthy' },
    ]);
  });

  it("reads a tree node's events on demand, only in the deployment's namespaces", async () => {
    const { id } = await deploymentOn('live-1');
    const query = (namespace: string) =>
      `apiVersion=v1&kind=Pod&namespace=${namespace}&name=web-7d4b9c-x2k9q`;
    const events = await json<ObjectEventsDto>(
      await platform.api(`/api/v1/deployments/${id}/live/events?${query(NAMESPACE)}`),
    );
    expect(events.live.status).toBe('read');
    expect(events.events).toMatchObject([{ type: 'Warning', reason: 'BackOff', count: 2 }]);

    const elsewhere = await platform.api(
      `/api/v1/deployments/${id}/live/events?${query('kube-system')}`,
    );
    expect(elsewhere.status).toBe(422);
    expect(await elsewhere.json()).toMatchObject({
      errors: [{ path: 'query.namespace', message: expect.stringContaining(NAMESPACE) }],
    });
    const malformed = await platform.api(
      `/api/v1/deployments/${id}/live/events?apiVersion=v1&kind=pod&namespace=${NAMESPACE}&name=x`,
    );
    expect(malformed.status).toBe(422);
    expect(await malformed.json()).toMatchObject({
      errors: [{ path: 'query.kind', message: 'must be a kind such as Pod' }],
    });
  });

  it('says in words that a cluster did not answer, and still shows what Git wants', async () => {
    const { id } = await deploymentOn('live-gone');
    const live = await json<DeploymentLiveDto>(
      await platform.api(`/api/v1/deployments/${id}/live`),
    );
    expect(live.live).toMatchObject({
      status: 'unavailable',
      message: expect.stringMatching(/^live-gone (did not answer|is offline)/),
    });
    expect(live.objects.find((object) => object.kind === 'Deployment')?.desired?.yaml).toContain(
      'nginx:1.27',
    );
    expect(live.tree).toEqual([]);
  });

  it('says live objects are not available for an agent cluster', async () => {
    const { id } = await deploymentOn('live-agent');
    const detail = await json<{ isAgentCluster: boolean }>(
      await platform.api(`/api/v1/deployments/${id}`),
    );
    expect(detail.isAgentCluster).toBe(true);
    const live = await json<DeploymentLiveDto>(
      await platform.api(`/api/v1/deployments/${id}/live`),
    );
    expect(live.live).toMatchObject({
      status: 'unavailable',
      reason: 'agent',
      message: expect.stringContaining('live objects are not available for agent clusters'),
    });
    expect(live.objects.find((object) => object.kind === 'Secret')?.desired?.yaml).toContain(
      'password: "********"',
    );
  });

  it('answers 404 for an unknown deployment and 401 without a token', async () => {
    const unknown = await platform.api('/api/v1/deployments/no-such-deployment/live');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ detail: 'deployment not found' });
    const { id } = await deploymentOn('live-1');
    expect((await platform.api(`/api/v1/deployments/${id}/live`, { token: null })).status).toBe(
      401,
    );
  });
});
