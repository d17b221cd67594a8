import { generateKeyPairSync } from 'node:crypto';
import * as k8s from '@kubernetes/client-node';
import {
  createBareRepo,
  kubeConfigFor,
  serveGitHttp,
  startGithubServer,
  startPlatform,
  startTestClusters,
  type BareRepo,
  type GithubServer,
  type GitHttpServer,
  type Platform,
  type TestClusters,
} from '@flotilla/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { json, registerCluster, waitForConnectivity } from './clusters-api.ts';

const PUBLIC_URL = 'https://flotilla.example.test';
const OWNER = 'acme';
const NAME = 'fleet';

const configMap = (name: string, value = 'git') =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  key: ${value}\n`;

/** A Deployment: without a controller it stays Progressing until the test writes its status. */
const deployment = (name: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: 1
  selector:
    matchLabels: { app: ${name} }
  template:
    metadata:
      labels: { app: ${name} }
    spec:
      containers:
        - name: app
          image: registry.example/app:1
`;

interface ApiGithubSettings {
  connection: {
    authKind: string;
    baseUrl: string;
    repository: string;
    appId: string | null;
    installationId: string | null;
  } | null;
  statuses: {
    commit: string;
    state: string;
    description: string;
    postedState: string | null;
    postedAt: string | null;
    lastError: string;
  }[];
}

describe('commit statuses on GitHub follow the rollout of each commit', () => {
  let envtest: TestClusters;
  let platform: Platform;
  let github: GithubServer;
  let repo: BareRepo;
  let gitRepoId: string;

  const postedStates = (sha: string) =>
    github.statuses(OWNER, NAME, sha).map((status) => status.state);
  const lastStatus = (sha: string) => github.statuses(OWNER, NAME, sha).at(-1);
  const waitForStatus = (sha: string, state: string, timeout = 120_000) =>
    vi.waitFor(
      () => {
        const last = lastStatus(sha);
        if (last?.state !== state)
          throw new Error(`status of ${sha.slice(0, 7)} is ${last?.state}: ${last?.description}`);
        return last;
      },
      { timeout, interval: 300 },
    );
  const sync = () => platform.api(`/api/v1/gitrepos/${gitRepoId}/sync`, { method: 'POST' });
  const makeAvailable = async (clusterIndex: number, name: string) => {
    const cluster = envtest.clusters[clusterIndex]!;
    const apps = kubeConfigFor(cluster).makeApiClient(k8s.AppsV1Api);
    await vi.waitFor(
      async () => {
        const live = await apps.readNamespacedDeployment({ name, namespace: 'default' });
        await apps.replaceNamespacedDeploymentStatus({
          name,
          namespace: 'default',
          body: {
            ...live,
            status: {
              observedGeneration: live.metadata?.generation ?? 1,
              replicas: 1,
              updatedReplicas: 1,
              readyReplicas: 1,
              availableReplicas: 1,
              conditions: [
                { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' },
                { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' },
              ],
            },
          },
        });
      },
      { timeout: 60_000, interval: 500 },
    );
  };

  beforeAll(async () => {
    [envtest, platform, github] = await Promise.all([
      startTestClusters(2, { names: ['east', 'west'] }),
      startPlatform({
        env: {
          FLOTILLA_MONITOR_INTERVAL_SECONDS: '1',
          FLOTILLA_PROBE_INTERVAL_SECONDS: '2',
          FLOTILLA_TICK_SECONDS: '1',
          FLOTILLA_SWEEP_INTERVAL_SECONDS: '2',
          FLOTILLA_PUBLIC_URL: PUBLIC_URL,
          FLOTILLA_GITHUB_STATUS_RECHECK_SECONDS: '1',
        },
      }),
      startGithubServer(),
    ]);
    github.addToken('ghp_statuses');
    repo = await createBareRepo({
      'app/fleet.yaml': 'defaultNamespace: default\n',
      'app/web.yaml': deployment('web'),
    });
    for (const [index, cluster] of envtest.clusters.entries()) {
      const registered = await registerCluster(platform, cluster, {
        env: 'prod',
        index: String(index),
      });
      await waitForConnectivity(platform, registered.id, 'Online');
    }
    gitRepoId = (
      await json<{ id: string }>(
        await platform.api('/api/v1/gitrepos', {
          // No poll within the test: statuses must follow the rollout on their own re-checks.
          json: {
            name: 'fleet',
            url: repo.url,
            pollIntervalSeconds: 86_400,
            targets: [{ clusterSelector: 'env=prod' }],
          },
        }),
      )
    ).id;
  });

  afterAll(async () => {
    if (process.env.FLOTILLA_TEST_DEBUG)
      console.log(`WORKER\n${platform?.workerLog().slice(-12000)}`);
    await platform?.stop();
    await envtest?.stopAll();
    await github?.close();
    await repo?.remove();
  });

  it('connects the repo with a token: the API shows the connection, never the token', async () => {
    const refused = await platform.api(`/api/v1/gitrepos/${gitRepoId}/github`, {
      method: 'PUT',
      json: { authKind: 'token', baseUrl: github.url },
    });
    expect(refused.status).toBe(422);
    const problem = (await refused.json()) as { errors: { path: string; message: string }[] };
    expect(problem.errors).toEqual([
      { path: 'repository', message: 'give OWNER/NAME: the repo URL does not name one' },
    ]);

    const response = await platform.api(`/api/v1/gitrepos/${gitRepoId}/github`, {
      method: 'PUT',
      json: {
        authKind: 'token',
        token: 'ghp_statuses',
        baseUrl: github.url,
        repository: `${OWNER}/${NAME}`,
      },
    });
    const text = await response.text();
    expect(response.status, text).toBe(200);
    expect(text).not.toContain('ghp_statuses');
    const settings = JSON.parse(text) as ApiGithubSettings;
    expect(settings.connection).toMatchObject({
      authKind: 'token',
      baseUrl: github.url,
      repository: `${OWNER}/${NAME}`,
    });
  });

  it('posts pending while the commit rolls out, then success once every cluster is Ready', async () => {
    const commit = await repo.head();
    await vi.waitFor(() => expect(postedStates(commit)).toContain('pending'), {
      timeout: 90_000,
      interval: 300,
    });
    expect(github.statuses(OWNER, NAME, commit)[0]).toMatchObject({
      state: 'pending',
      context: 'flotilla',
      target_url: `${PUBLIC_URL}/gitrepos/${gitRepoId}`,
    });
    // The Deployment has no controller here: it is Progressing until its status says Available.
    await makeAvailable(0, 'web');
    await makeAvailable(1, 'web');
    const success = await waitForStatus(commit, 'success');
    expect(success.description).toBe('2/2 clusters Ready');
    // Statuses are posted when they change: never the same one twice in a row.
    const states = github.statuses(OWNER, NAME, commit).map((s) => `${s.state}:${s.description}`);
    expect(states.filter((state, index) => state === states[index - 1])).toEqual([]);
    // The dashboard's API shows the last status posted.
    const settings = await json<ApiGithubSettings>(
      await platform.api(`/api/v1/gitrepos/${gitRepoId}/github`),
    );
    expect(settings.statuses[0]).toMatchObject({
      commit,
      state: 'success',
      postedState: 'success',
      description: '2/2 clusters Ready',
      lastError: '',
    });
    // Every request the worker sent was a valid one (the server checks them against GitHub's description).
    expect(github.requests().filter((request) => request.status >= 400)).toEqual([]);
  });

  it('posts failure naming the cluster where the commit failed', async () => {
    // A hand-made ConfigMap on west that the next commit also defines: no silent adoption, so
    // west fails (ErrApplied) and east applies it.
    const west = kubeConfigFor(envtest.clusters[1]!).makeApiClient(k8s.CoreV1Api);
    await west.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'contested' }, data: { owner: 'by-hand' } },
    });
    // It also adds a Deployment, Progressing on east until its status says Available: the
    // commit is pending until then, whatever the debounce coalesces.
    const commit = await repo.commit(
      { 'app/contested.yaml': configMap('contested'), 'app/api.yaml': deployment('api') },
      { message: 'contested' },
    );
    await sync();
    // west's failure is named at once; the commit stays pending while east still rolls out.
    await vi.waitFor(
      () =>
        expect(lastStatus(commit)).toMatchObject({
          state: 'pending',
          description: '0/2 clusters Ready, 1 ErrApplied: west',
        }),
      { timeout: 90_000, interval: 300 },
    );
    await makeAvailable(0, 'api');
    const failure = await waitForStatus(commit, 'failure');
    expect(failure.description).toBe('1/2 clusters Ready, 1 ErrApplied: west');
    expect(postedStates(commit)[0]).toBe('pending');
  });

  it('a GitHub outage does not stop deploys; the status is posted once GitHub is back', async () => {
    const west = kubeConfigFor(envtest.clusters[1]!).makeApiClient(k8s.CoreV1Api);
    await west.deleteNamespacedConfigMap({ name: 'contested', namespace: 'default' });
    github.setOutage({ kind: 'server-error' });
    const before = github.requests().length;
    const commit = await repo.commit(
      { 'app/during-outage.yaml': configMap('during-outage') },
      { message: 'outage' },
    );
    await sync();
    // The ConfigMap reaches both clusters while every GitHub request fails.
    for (const cluster of envtest.clusters) {
      const core = kubeConfigFor(cluster).makeApiClient(k8s.CoreV1Api);
      await vi.waitFor(
        async () => {
          const live = await core.readNamespacedConfigMap({
            name: 'during-outage',
            namespace: 'default',
          });
          expect(live.data).toEqual({ key: 'git' });
        },
        { timeout: 90_000, interval: 500 },
      );
    }
    // west, no longer blocked by the hand-made ConfigMap, runs the api Deployment of the last commit.
    await makeAvailable(1, 'api');
    const deployments = await platform.database.db.bundleDeployment.findMany({
      where: { bundle: { gitRepoId } },
    });
    await vi.waitFor(
      async () => {
        const rows = await platform.database.db.bundleDeployment.findMany({
          where: { bundle: { gitRepoId } },
        });
        expect(rows.map((row) => [row.appliedCommit, row.state])).toEqual(
          deployments.map(() => [commit, 'Ready']),
        );
      },
      { timeout: 90_000, interval: 500 },
    );
    await vi.waitFor(
      async () => {
        const row = await platform.database.db.githubCommitStatus.findUnique({
          where: { gitRepoId_commit: { gitRepoId, commit } },
        });
        expect(row?.lastError).toMatch(/^GitHub answered 500/);
        expect(row?.postedState).toBeNull();
      },
      { timeout: 60_000, interval: 300 },
    );
    const duringOutage = github.requests().slice(before);
    expect(duringOutage.length).toBeGreaterThan(0);
    expect(duringOutage.every((request) => request.status === 500)).toBe(true);
    expect(github.statuses(OWNER, NAME, commit)).toEqual([]);

    github.setOutage(null);
    const success = await waitForStatus(commit, 'success', 150_000);
    expect(success.description).toBe('2/2 clusters Ready');
    const settings = await json<ApiGithubSettings>(
      await platform.api(`/api/v1/gitrepos/${gitRepoId}/github`),
    );
    expect(settings.statuses.find((status) => status.commit === commit)).toMatchObject({
      postedState: 'success',
      lastError: '',
    });
  });
});

describe('a GitHub App connection clones a private repo over HTTPS with its installation token', () => {
  let platform: Platform;
  let github: GithubServer;
  let repo: BareRepo;
  let gitServer: GitHttpServer;

  beforeAll(async () => {
    [platform, github] = await Promise.all([
      startPlatform({ env: { FLOTILLA_TICK_SECONDS: '1' } }),
      startGithubServer(),
    ]);
    repo = await createBareRepo({
      'app/fleet.yaml': 'defaultNamespace: default\n',
      'app/cm.yaml': configMap('cm'),
    });
    gitServer = await serveGitHttp({
      root: repo.root,
      auth: ({ username, password }) =>
        username === 'x-access-token' && github.isValidToken(password),
    });
  });

  afterAll(async () => {
    await platform?.stop();
    await gitServer?.stop();
    await github?.close();
    await repo?.remove();
  });

  it('fails to fetch without credentials, fetches once the App is connected, and mints a new token after expiry', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    // Installation tokens of 4 s: the worker must mint new ones as they expire.
    github.addApp({
      appId: 9001,
      publicKey,
      installations: [{ id: 31337, owner: OWNER }],
      tokenLifetimeSeconds: 4,
    });
    const created = await json<{ id: string }>(
      await platform.api('/api/v1/gitrepos', {
        json: { name: 'private', url: gitServer.url(repo.name) },
      }),
    );
    await vi.waitFor(
      async () => {
        const state = await json<{ state: string; message: string }>(
          await platform.api(`/api/v1/gitrepos/${created.id}`),
        );
        expect(state.state).toBe('Error');
      },
      { timeout: 60_000, interval: 300 },
    );
    const response = await platform.api(`/api/v1/gitrepos/${created.id}/github`, {
      method: 'PUT',
      json: {
        authKind: 'app',
        appId: 9001,
        installationId: '31337',
        privateKey: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
        baseUrl: github.url,
        repository: `${OWNER}/${NAME}`,
      },
    });
    const text = await response.text();
    expect(response.status, text).toBe(200);
    expect(text).not.toContain('PRIVATE KEY');
    expect(JSON.parse(text)).toMatchObject({
      connection: { authKind: 'app', appId: '9001', installationId: '31337' },
    });
    const repoState = await vi.waitFor(
      async () => {
        const state = await json<{ state: string; commit: string | null }>(
          await platform.api(`/api/v1/gitrepos/${created.id}`),
        );
        expect(state.state).toBe('Ready');
        return state;
      },
      { timeout: 60_000, interval: 300 },
    );
    expect(repoState.commit).toBe(await repo.head());
    const minted = () =>
      github
        .requests()
        .filter((request) => request.operationId === 'apps/create-installation-access-token');
    expect(minted()[0]).toMatchObject({
      status: 201,
      authKind: 'app',
      params: { installation_id: '31337' },
    });

    // Once the newest token has expired, the next fetch mints another one and gets through.
    const mintedBefore = minted().length;
    const newest = github.installationTokens().at(-1)!;
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(0, newest.expiresAt.getTime() - Date.now()) + 100),
    );
    expect(github.isValidToken(newest.token)).toBe(false);
    const next = await repo.commit({ 'app/cm2.yaml': configMap('cm2') }, { message: 'second' });
    await platform.api(`/api/v1/gitrepos/${created.id}/sync`, { method: 'POST' });
    await vi.waitFor(
      async () => {
        const state = await json<{ state: string; commit: string | null }>(
          await platform.api(`/api/v1/gitrepos/${created.id}`),
        );
        expect(state).toMatchObject({ state: 'Ready', commit: next });
      },
      { timeout: 60_000, interval: 300 },
    );
    expect(minted().length).toBeGreaterThan(mintedBefore);
    expect(minted().every((request) => request.status === 201)).toBe(true);
  });
});
