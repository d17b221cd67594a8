import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as k8s from '@kubernetes/client-node';
import { Redis } from 'ioredis';
import pg from 'pg';
import {
  createBareRepo,
  kubeConfigFor,
  markDeploymentAvailable,
  startPlatform,
  startProcess,
  startTestClusters,
  type BareRepo,
  type ManagedProcess,
  type Platform,
  type TestCluster,
  type TestClusters,
} from '@flotilla/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');
const HEARTBEAT_SECONDS = 1;

interface Registered {
  id: string;
  name: string;
  apiServerUrl: string | null;
  connectionKind: string;
  hasCredentials: boolean;
  connectivity: { state: string; lastSeenAt: string | null; message: string };
  agent: { version: string | null; lastHeartbeatAt: string | null } | null;
  registration: { token: string; installUrl: string; installCommand: string; expiresAt: string };
}

interface ApiDeployment {
  id: string;
  bundleName: string;
  state: string;
  message: string;
  resources: { kind: string; name: string; modified: boolean; diff?: string }[];
}

async function json<T>(response: Response): Promise<T> {
  const text = await response.text();
  if (!response.ok) throw new Error(`${response.status} ${response.url}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

async function dumpRedis(url: string): Promise<string> {
  const redis = new Redis(url);
  const parts: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'COUNT', '1000');
    cursor = next;
    for (const key of keys) {
      parts.push(key);
      const type = await redis.type(key);
      if (type === 'string') parts.push((await redis.get(key)) ?? '');
      if (type === 'hash') parts.push(JSON.stringify(await redis.hgetall(key)));
      if (type === 'list') parts.push(JSON.stringify(await redis.lrange(key, 0, -1)));
      if (type === 'set') parts.push(JSON.stringify(await redis.smembers(key)));
      if (type === 'zset') parts.push(JSON.stringify(await redis.zrange(key, '0', '-1')));
      if (type === 'stream') parts.push(JSON.stringify(await redis.xrange(key, '-', '+')));
    }
  } while (cursor !== '0');
  await redis.quit();
  return parts.join('\n');
}

/**
 * A TCP forwarder in front of the platform, for the agent only: cutting it is Flotilla going
 * away from the agent's point of view (every connection dropped, new ones refused), without
 * stopping the platform the test reads its answers from.
 */
async function startCuttableForwarder(target: string) {
  const { hostname, port } = new URL(target);
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let listenPort = 0;
  const open = () =>
    new Promise<void>((resolve) => {
      server = createServer((client) => {
        const upstream = connect(Number(port), hostname);
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on('close', () => sockets.delete(socket));
          socket.on('error', () => socket.destroy());
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(listenPort, '127.0.0.1', () => {
        listenPort = (server!.address() as AddressInfo).port;
        resolve();
      });
    });
  await open();
  return {
    url: () => `http://127.0.0.1:${listenPort}`,
    cut: async () => {
      const closed = new Promise<void>((resolve) => server!.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
    restore: open,
  };
}

const configMap = (name: string, value: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: edge-apps\ndata:\n  value: ${value}\n`;
const deployment = (name: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: edge-apps
spec:
  replicas: 1
  selector:
    matchLabels: { app: ${name} }
  template:
    metadata:
      labels: { app: ${name} }
    spec:
      containers:
        - name: web
          image: nginx:1.27
`;

/**
 * Agent mode end to end: a real kube-apiserver that Flotilla is never given (no URL stored),
 * an agent process started with a kubeconfig, the built web and the worker. The agent pulls,
 * applies, prunes, corrects drift and reports; its silence turns the cluster Offline; a
 * restart writes nothing to a cluster that is as Git says; and its credential stays secret.
 */
describe('agent mode: a cluster Flotilla cannot reach gets its bundles through its agent', () => {
  let envtest: TestClusters;
  let edge: TestCluster;
  let platform: Platform;
  let repo: BareRepo;
  let workDir: string;
  let agent: ManagedProcess | undefined;
  let cluster: Registered;
  let other: Registered;
  const agentOutputs: string[] = [];
  const responses: string[] = [];
  let core: k8s.CoreV1Api;
  let flotillaForAgent: Awaited<ReturnType<typeof startCuttableForwarder>>;

  const startAgent = async () => {
    agent = startProcess(process.execPath, ['--import', 'tsx', 'apps/agent/src/main.ts'], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH,
        FLOTILLA_URL: flotillaForAgent.url(),
        FLOTILLA_AGENT_TOKEN: cluster.registration.token,
        FLOTILLA_AGENT_CREDENTIAL_FILE: path.join(workDir, 'credential.json'),
        KUBECONFIG: path.join(workDir, 'kubeconfig'),
        FLOTILLA_AGENT_HEARTBEAT_SECONDS: String(HEARTBEAT_SECONDS),
        FLOTILLA_AGENT_POLL_WAIT_SECONDS: '5',
        FLOTILLA_AGENT_RESYNC_SECONDS: '2',
        // Rotation on a schedule, often enough to happen several times in this test.
        FLOTILLA_AGENT_ROTATE_SECONDS: '5',
        FLOTILLA_LOG_FORMAT: 'json',
      },
    });
  };
  const stopAgent = async (signal: NodeJS.Signals) => {
    if (!agent) return;
    await agent.stop(signal);
    agentOutputs.push(agent.output());
    agent = undefined;
  };
  const deploymentsOf = async (clusterId: string) => {
    const text = await (await platform.api(`/api/v1/clusters/${clusterId}/deployments`)).text();
    responses.push(text);
    return (JSON.parse(text) as { items: ApiDeployment[] }).items;
  };
  const waitForDeployment = (
    folder: string,
    check: (deployment: ApiDeployment) => boolean,
    timeout = 60_000,
  ) =>
    vi.waitFor(
      async () => {
        const found = (await deploymentsOf(cluster.id)).find((item) =>
          item.bundleName.endsWith(folder),
        );
        if (!found || !check(found))
          throw new Error(`${folder}: ${found?.state} ${found?.message}\n${agent?.output()}`);
        return found;
      },
      { timeout, interval: 300 },
    );
  const clusterNow = async (id: string) => {
    const text = await (await platform.api(`/api/v1/clusters/${id}`)).text();
    responses.push(text);
    return JSON.parse(text) as Registered;
  };
  const liveValue = async (name: string) =>
    (await core.readNamespacedConfigMap({ name, namespace: 'edge-apps' })).data?.value;
  const exists = async (name: string) =>
    core.readNamespacedConfigMap({ name, namespace: 'edge-apps' }).then(
      () => true,
      (error: unknown) => {
        if ((error as { code?: number }).code === 404) return false;
        throw error;
      },
    );
  const credentialOfAgent = async () =>
    (
      JSON.parse(await readFile(path.join(workDir, 'credential.json'), 'utf8')) as {
        credential: string;
      }
    ).credential;
  const asAgent = (credential: string, pathname: string, init: RequestInit = {}) =>
    fetch(new URL(pathname, platform.url), {
      ...init,
      headers: { authorization: `Bearer ${credential}`, ...(init.headers ?? {}) },
    });

  beforeAll(async () => {
    [envtest, platform] = await Promise.all([
      startTestClusters(1, { names: ['edge'] }),
      startPlatform({
        env: {
          FLOTILLA_MONITOR_INTERVAL_SECONDS: '2',
          FLOTILLA_PROBE_INTERVAL_SECONDS: '2',
          FLOTILLA_TICK_SECONDS: '1',
          FLOTILLA_SWEEP_INTERVAL_SECONDS: '2',
        },
      }),
    ]);
    edge = envtest.clusters[0]!;
    flotillaForAgent = await startCuttableForwarder(platform.url);
    core = kubeConfigFor(edge).makeApiClient(k8s.CoreV1Api);
    workDir = await mkdtemp(path.join(tmpdir(), 'flotilla-agent-'));
    await writeFile(path.join(workDir, 'kubeconfig'), kubeConfigFor(edge).exportConfig(), {
      mode: 0o600,
    });
    repo = await createBareRepo({
      'bundles/plain/fleet.yaml': 'defaultNamespace: edge-apps\n',
      'bundles/plain/settings.yaml': configMap('settings', 'from-git'),
      'bundles/plain/extra.yaml': configMap('extra', 'from-git'),
      'bundles/plain/web.yaml': deployment('web'),
      'bundles/guarded/fleet.yaml': 'defaultNamespace: edge-apps\ncorrectDrift:\n  enabled: true\n',
      'bundles/guarded/guarded.yaml': configMap('guarded', 'from-git'),
    });
    const register = async (name: string) => {
      const text = await (
        await platform.api('/api/v1/clusters', {
          json: { connectionKind: 'agent', name, labels: { site: 'edge' } },
        })
      ).text();
      return JSON.parse(text) as Registered;
    };
    [cluster, other] = [await register('edge'), await register('edge-2')];
    await json(
      await platform.api('/api/v1/gitrepos', {
        json: {
          name: 'edge-apps',
          url: repo.url,
          paths: ['bundles'],
          targets: [{ clusterSelector: 'site=edge' }],
        },
      }),
    );
  });

  afterAll(async () => {
    await stopAgent('SIGKILL');
    if (process.env.FLOTILLA_TEST_DEBUG)
      console.log(`AGENT\n${agentOutputs.join('\n')}\nWEB\n${platform?.webLog().slice(-6000)}`);
    await platform?.stop();
    await envtest?.stopAll();
    await repo?.remove();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('registers an agent cluster with no URL or credential, and a one-time install manifest', async () => {
    expect(cluster.connectionKind).toBe('agent');
    expect(cluster.apiServerUrl).toBeNull();
    expect(cluster.hasCredentials).toBe(false);
    expect(cluster.connectivity.state).toBe('Unknown');
    expect(cluster.registration.token).toMatch(/^flr_/);
    expect(cluster.registration.installCommand).toBe(
      `kubectl apply -f '${cluster.registration.installUrl}'`,
    );
    const hours = (Date.parse(cluster.registration.expiresAt) - Date.now()) / (3600 * 1000);
    expect(Math.round(hours)).toBe(24);

    const install = await fetch(cluster.registration.installUrl);
    expect(install.status).toBe(200);
    const documents = (await install.text())
      .split(/^---$/m)
      .filter((part) => part.trim() !== '')
      .map((part) => JSON.parse(part) as { kind: string; stringData?: Record<string, string> });
    expect(documents.map((document) => document.kind)).toEqual([
      'Namespace',
      'ServiceAccount',
      'ClusterRole',
      'ClusterRoleBinding',
      'Secret',
      'Deployment',
    ]);
    const secret = documents.find((document) => document.kind === 'Secret')!;
    expect(secret.stringData?.registrationToken).toBe(cluster.registration.token);
    expect(secret.stringData?.url).toBe(platform.url);
  });

  it('applies the bundles through the agent: objects appear and Ready is shown', async () => {
    await startAgent();
    await vi.waitFor(
      async () => {
        if (!(await exists('settings'))) throw new Error(`not applied yet\n${agent?.output()}`);
      },
      { timeout: 60_000, interval: 300 },
    );
    expect(await liveValue('settings')).toBe('from-git');
    // The Deployment is not Available on envtest until its status says so.
    await waitForDeployment('plain', (item) => item.state === 'NotReady');
    await markDeploymentAvailable(edge, 'edge-apps', 'web');
    await waitForDeployment('plain', (item) => item.state === 'Ready');
    await waitForDeployment('guarded', (item) => item.state === 'Ready');
    const now = await clusterNow(cluster.id);
    expect(now.connectivity.state).toBe('Online');
    expect(now.agent?.version).toBe('0.1.0');
    expect(now.agent?.lastHeartbeatAt).not.toBeNull();
    expect(now.apiServerUrl).toBeNull();
  });

  it('refuses a used registration token, and an expired one', async () => {
    const again = await fetch(new URL('/api/v1/agent/register', platform.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: cluster.registration.token }),
    });
    expect(again.status).toBe(401);
    expect(await again.text()).toContain('already used');
    expect((await fetch(cluster.registration.installUrl)).status).toBe(401);

    const db = new pg.Client({ connectionString: platform.database.url });
    await db.connect();
    try {
      await db.query(
        `UPDATE "AgentRegistrationToken" SET "expiresAt" = now() - interval '1 minute' WHERE "clusterId" = $1`,
        [other.id],
      );
    } finally {
      await db.end();
    }
    const expired = await fetch(new URL('/api/v1/agent/register', platform.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: other.registration.token }),
    });
    expect(expired.status).toBe(401);
  });

  it("an agent credential sees its own cluster only: another cluster's deployment is 404, a revoked credential 401", async () => {
    const fresh = await json<{ token: string }>(
      await platform.api(`/api/v1/clusters/${other.id}/agent/registration-tokens`, { json: {} }),
    );
    const exchanged = await fetch(new URL('/api/v1/agent/register', platform.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: fresh.token }),
    });
    expect(exchanged.status).toBe(201);
    const { credential: otherCredential } = (await exchanged.json()) as { credential: string };
    const mine = await credentialOfAgent();

    const edgeDeployments = await deploymentsOf(cluster.id);
    const otherDeployments = await vi.waitFor(
      async () => {
        const items = await deploymentsOf(other.id);
        if (items.length < 2) throw new Error('edge-2 not planned yet');
        return items;
      },
      { timeout: 30_000, interval: 300 },
    );
    const ownAnswer = await asAgent(mine, `/api/v1/agent/deployments/${edgeDeployments[0]!.id}`);
    expect(ownAnswer.status).toBe(200);
    const foreign = await asAgent(mine, `/api/v1/agent/deployments/${otherDeployments[0]!.id}`);
    expect(foreign.status).toBe(404);
    const reverse = await asAgent(
      otherCredential,
      `/api/v1/agent/deployments/${edgeDeployments[0]!.id}`,
    );
    expect(reverse.status).toBe(404);

    // The desired list of each credential holds its own cluster's deployments only.
    const listed = await json<{ clusterId: string; deployments: { id: string }[] }>(
      await asAgent(otherCredential, '/api/v1/agent/deployments'),
    );
    expect(listed.clusterId).toBe(other.id);
    expect(listed.deployments.map((item) => item.id).sort()).toEqual(
      otherDeployments.map((item) => item.id).sort(),
    );

    // Revisions are served by hash, gzipped, to the clusters that have them only.
    const ownDesired = await json<{ deployments: { desiredHash: string | null }[] }>(
      await asAgent(mine, '/api/v1/agent/deployments'),
    );
    const hash = ownDesired.deployments.find((item) => item.desiredHash)!.desiredHash!;
    const revision = await asAgent(mine, `/api/v1/agent/revisions/${hash}`);
    expect(revision.status).toBe(200);
    expect(revision.headers.get('content-type')).toBe('application/gzip');
    expect(revision.headers.get('cache-control')).toContain('immutable');
    const body = gunzipSync(Buffer.from(await revision.arrayBuffer())).toString('utf8');
    expect((JSON.parse(body) as { hash: string }).hash).toBe(hash);
    const cached = await asAgent(mine, `/api/v1/agent/revisions/${hash}`, {
      headers: { 'if-none-match': `"${hash}"` },
    });
    expect(cached.status).toBe(304);
    expect(
      (await asAgent(otherCredential, `/api/v1/agent/revisions/${'0'.repeat(64)}`)).status,
    ).toBe(404);

    // A user's API token is not an agent credential.
    const asUser = await fetch(new URL('/api/v1/agent/deployments', platform.url), {
      headers: { authorization: `Bearer ${platform.bootstrapToken}` },
    });
    expect(asUser.status).toBe(401);

    const revoked = await json<{ credentialsRevoked: number }>(
      await platform.api(`/api/v1/clusters/${other.id}/agent/revoke`, { method: 'POST' }),
    );
    expect(revoked.credentialsRevoked).toBe(1);
    expect((await asAgent(otherCredential, '/api/v1/agent/deployments')).status).toBe(401);
    // The other agent's revocation leaves this one working.
    expect((await asAgent(mine, '/api/v1/agent/deployments')).status).toBe(200);
  });

  it('refuses a bad agent registration naming the field, and deleting a cluster revokes its credential', async () => {
    const bad = await platform.api('/api/v1/clusters', {
      json: { connectionKind: 'agent', name: '', tokenExpiresInHours: 1000 },
    });
    expect(bad.status).toBe(422);
    const problem = (await bad.json()) as { errors: { path: string }[] };
    expect(problem.errors.map((error) => error.path).sort()).toEqual([
      'name',
      'tokenExpiresInHours',
    ]);

    const doomed = await json<Registered>(
      await platform.api('/api/v1/clusters', {
        json: { connectionKind: 'agent', name: 'doomed', labels: { site: 'elsewhere' } },
      }),
    );
    const exchanged = await fetch(new URL('/api/v1/agent/register', platform.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: doomed.registration.token }),
    });
    const { credential } = (await exchanged.json()) as { credential: string };
    expect((await asAgent(credential, '/api/v1/agent/deployments')).status).toBe(200);
    const deleted = await platform.api(`/api/v1/clusters/${doomed.id}`, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    expect((await asAgent(credential, '/api/v1/agent/deployments')).status).toBe(401);
  });

  it('rotates a credential: the new one works, the old one until its grace ends, and only once', async () => {
    const rotating = await json<Registered>(
      await platform.api('/api/v1/clusters', {
        json: { connectionKind: 'agent', name: 'rotating', labels: { site: 'elsewhere' } },
      }),
    );
    const exchanged = await fetch(new URL('/api/v1/agent/register', platform.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: rotating.registration.token }),
    });
    const { credential: first } = (await exchanged.json()) as { credential: string };
    const rotated = await asAgent(first, '/api/v1/agent/credentials', { method: 'POST' });
    expect(rotated.status).toBe(201);
    const { credential: second } = (await rotated.json()) as { credential: string };
    expect(second).not.toBe(first);
    expect((await asAgent(second, '/api/v1/agent/deployments')).status).toBe(200);
    expect((await asAgent(first, '/api/v1/agent/deployments')).status).toBe(200);
    expect((await asAgent(first, '/api/v1/agent/credentials', { method: 'POST' })).status).toBe(
      409,
    );
    const db = new pg.Client({ connectionString: platform.database.url });
    await db.connect();
    try {
      await db.query(
        `UPDATE "AgentCredential" SET "expiresAt" = now() - interval '1 second'
         WHERE "clusterId" = $1 AND "expiresAt" IS NOT NULL`,
        [rotating.id],
      );
    } finally {
      await db.end();
    }
    expect((await asAgent(first, '/api/v1/agent/deployments')).status).toBe(401);
    expect((await asAgent(second, '/api/v1/agent/deployments')).status).toBe(200);
  });

  it('shows a hand edit as Modified with a diff, and corrects it where correctDrift is on', async () => {
    await core.patchNamespacedConfigMap({
      name: 'settings',
      namespace: 'edge-apps',
      body: [{ op: 'replace', path: '/data/value', value: 'by-hand' }],
    });
    const modified = await waitForDeployment('plain', (item) => item.state === 'Modified');
    const resource = modified.resources.find((item) => item.name === 'settings');
    expect(resource?.modified).toBe(true);
    expect(resource?.diff).toContain('-  value: from-git');
    expect(resource?.diff).toContain('+  value: by-hand');
    // correctDrift is off for this bundle: the hand edit stays.
    expect(await liveValue('settings')).toBe('by-hand');

    await core.patchNamespacedConfigMap({
      name: 'guarded',
      namespace: 'edge-apps',
      body: [{ op: 'replace', path: '/data/value', value: 'by-hand' }],
    });
    await vi.waitFor(
      async () => {
        if ((await liveValue('guarded')) !== 'from-git') throw new Error('not corrected yet');
      },
      { timeout: 30_000, interval: 300 },
    );
    await waitForDeployment('guarded', (item) => item.state === 'Ready');
  });

  it('prunes an object removed from Git', async () => {
    await repo.commit(
      { 'bundles/plain/settings.yaml': configMap('settings', 'from-git') },
      { message: 'drop extra', remove: ['bundles/plain/extra.yaml'] },
    );
    await platform.api(`/api/v1/gitrepos`).then(async (response) => {
      const { items } = (await response.json()) as { items: { id: string }[] };
      await platform.api(`/api/v1/gitrepos/${items[0]!.id}/sync`, { method: 'POST' });
    });
    await vi.waitFor(
      async () => {
        if (await exists('extra')) throw new Error(`extra still there\n${agent?.output()}`);
      },
      { timeout: 60_000, interval: 300 },
    );
    // The new revision re-applied settings too (Git wins), so plain is Ready again.
    expect(await liveValue('settings')).toBe('from-git');
    await waitForDeployment('plain', (item) => item.state === 'Ready');
  });

  it('keeps the cluster as it was told while Flotilla is unreachable, and catches up after', async () => {
    await flotillaForAgent.cut();
    // A hand edit is still corrected from the last desired state the agent holds.
    await core.patchNamespacedConfigMap({
      name: 'guarded',
      namespace: 'edge-apps',
      body: [{ op: 'replace', path: '/data/value', value: 'by-hand-while-away' }],
    });
    await vi.waitFor(
      async () => {
        if ((await liveValue('guarded')) !== 'from-git') throw new Error('not corrected yet');
      },
      { timeout: 30_000, interval: 300 },
    );
    // Meanwhile Git moves on, and Flotilla stops hearing from the agent.
    await repo.commit(
      { 'bundles/guarded/guarded.yaml': configMap('guarded', 'from-git-2') },
      { message: 'guarded v2' },
    );
    const { items } = await json<{ items: { id: string }[] }>(
      await platform.api('/api/v1/gitrepos'),
    );
    await platform.api(`/api/v1/gitrepos/${items[0]!.id}/sync`, { method: 'POST' });
    await vi.waitFor(
      async () => {
        const now = await clusterNow(cluster.id);
        if (now.connectivity.state !== 'Offline') throw new Error(now.connectivity.state);
      },
      { timeout: 30_000, interval: 250 },
    );
    expect(await liveValue('guarded')).toBe('from-git');
    expect(await liveValue('settings')).toBe('from-git');

    await flotillaForAgent.restore();
    await vi.waitFor(
      async () => {
        if ((await liveValue('guarded')) !== 'from-git-2')
          throw new Error(`not caught up yet\n${agent?.output()}`);
      },
      { timeout: 60_000, interval: 300 },
    );
    await waitForDeployment('guarded', (item) => item.state === 'Ready');
    await waitForDeployment('plain', (item) => item.state === 'Ready');
    expect((await clusterNow(cluster.id)).connectivity.state).toBe('Online');
  });

  it('turns the cluster Offline when the agent goes silent, and a restart converges writing nothing', async () => {
    const versions = async () =>
      Object.fromEntries(
        (await core.listNamespacedConfigMap({ namespace: 'edge-apps' })).items.map((item) => [
          item.metadata!.name!,
          item.metadata!.resourceVersion!,
        ]),
      );
    const before = await versions();
    await stopAgent('SIGKILL');
    const offline = await vi.waitFor(
      async () => {
        const now = await clusterNow(cluster.id);
        if (now.connectivity.state !== 'Offline') throw new Error(now.connectivity.state);
        return now;
      },
      { timeout: 30_000, interval: 250 },
    );
    expect(offline.connectivity.lastSeenAt).not.toBeNull();
    expect(offline.connectivity.message).toContain('no heartbeat from the agent since');
    await waitForDeployment('plain', (item) => item.state === 'Offline');
    // The cluster itself is left as it was.
    expect(await liveValue('settings')).toBe('from-git');

    await startAgent();
    await vi.waitFor(
      async () => {
        const now = await clusterNow(cluster.id);
        if (now.connectivity.state !== 'Online') throw new Error(now.connectivity.state);
      },
      { timeout: 30_000, interval: 250 },
    );
    await waitForDeployment('plain', (item) => item.state === 'Ready');
    await waitForDeployment('guarded', (item) => item.state === 'Ready');
    expect(await versions()).toEqual(before);
    expect(agent!.output()).not.toContain('"msg":"applied"');
  });

  it('keeps the agent credential out of logs, API responses and Redis; Postgres holds its hash only', async () => {
    const credential = await credentialOfAgent();
    expect(credential).toMatch(/^fla_/);
    responses.push(await (await platform.api('/api/v1/clusters')).text());
    responses.push(await (await platform.api(`/api/v1/clusters/${cluster.id}`)).text());
    responses.push(await (await platform.api('/api/v1/audit')).text());
    const places: Record<string, string> = {
      responses: responses.join('\n'),
      'web log': platform.webLog(),
      'worker log': platform.workerLog(),
      'agent log': [...agentOutputs, agent?.output() ?? ''].join('\n'),
      redis: await dumpRedis(platform.redisUrl),
    };
    for (const [place, text] of Object.entries(places))
      expect(text.includes(credential), `the credential is in the ${place}`).toBe(false);
    // The worker queued no deploy for an agent cluster: one would have failed, logging its id.
    const agentDeployments = [
      ...(await deploymentsOf(cluster.id)),
      ...(await deploymentsOf(other.id)),
    ];
    expect(agentDeployments.length).toBeGreaterThan(0);
    for (const item of agentDeployments) expect(platform.workerLog()).not.toContain(item.id);
    const db = new pg.Client({ connectionString: platform.database.url });
    await db.connect();
    try {
      const { rows } = await db.query<{ secretHash: string; expiresAt: Date | null }>(
        `SELECT "secretHash", "expiresAt" FROM "AgentCredential" WHERE "clusterId" = $1`,
        [cluster.id],
      );
      // The agent rotated on its schedule: older credentials expire, the current one does not.
      expect(rows.length).toBeGreaterThan(1);
      expect(rows.filter((row) => row.expiresAt === null)).toHaveLength(1);
      for (const row of rows) expect(row.secretHash).toMatch(/^[a-f0-9]{64}$/);
      expect(JSON.stringify(rows)).not.toContain(credential);
    } finally {
      await db.end();
    }
  });
});
