import { createHmac, generateKeyPairSync, randomBytes } from 'node:crypto';
import * as k8s from '@kubernetes/client-node';
import { SecretBox } from '@flotilla/core';
import {
  createBareRepo,
  kubeConfigFor,
  runTestGit,
  serveGitHttp,
  startGithubServer,
  startPlatform,
  startTestClusters,
  type BareRepo,
  type GithubCheckRunRecord,
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
const TOKEN = `ghp_${randomBytes(12).toString('hex')}`;
const WEBHOOK_SECRET = `hook-${randomBytes(10).toString('hex')}`;
const CHART_PASSWORD = `chart-pw-${randomBytes(8).toString('hex')}`;
const CLUSTER_SECRET = `cluster-secret-${randomBytes(8).toString('hex')}`;

const DEPLOYMENT_TEMPLATE = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: {{ .Values.replicas }}
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: app
          image: registry.example/web:{{ .Values.tag }}
`;

const fleetYaml = (prodReplicas: number, extraProd = '') => `defaultNamespace: default
helm:
  releaseName: web
  values:
    replicas: 1
    tag: "1.0"
targetCustomizations:
  - name: prod
    clusterSelector:
      matchLabels: { env: prod }
    helm:
      values:
        replicas: ${prodReplicas}
${extraProd}`;

const FILES: Record<string, string> = {
  'web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
  'web/values.yaml': 'replicas: 1\ntag: "1.0"\n',
  'web/templates/deployment.yaml': DEPLOYMENT_TEMPLATE,
  'web/fleet.yaml': fleetYaml(2),
  'other/fleet.yaml': 'defaultNamespace: default\n',
  'other/config.yaml':
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\ndata:\n  key: one\n',
};

interface ApiPreview {
  id: string;
  gitRepo: { id: string; name: string };
  number: number;
  title: string;
  headSha: string;
  isFork: boolean;
  isOpen: boolean;
  state: string;
  conclusion: string | null;
  bundlesChanged: string[];
  clustersAffected: string[];
  objects: { added: number; changed: number; removed: number };
  bundles?: {
    bundleName: string;
    customizations: {
      name: string;
      clusters: string[];
      error?: string;
      groups: {
        clusters: string[];
        changes: { kind: string; name: string; change: string; diff: string }[];
      }[];
    }[];
  }[];
}

describe('pull-request previews: what a PR would change, on which clusters, before merge', () => {
  let envtest: TestClusters;
  let platform: Platform;
  let github: GithubServer;
  let gitServer: GitHttpServer;
  let repo: BareRepo;
  let gitRepoId: string;
  let baseSha: string;

  /** Commits `files` on a branch off main and points refs/pull/N/head at it, as GitHub does. */
  const openPullRequest = async (number: number, files: Record<string, string>) => {
    const branch = `pr-${number}`;
    await runTestGit(['--git-dir', repo.dir, 'update-ref', `refs/heads/${branch}`, baseSha]);
    const head = await repo.commit(files, { message: `PR ${number}`, branch });
    await runTestGit(['--git-dir', repo.dir, 'update-ref', `refs/pull/${number}/head`, head]);
    return head;
  };

  const pullRequestEvent = ({
    number,
    headSha,
    action = 'opened',
    headRepo = `${OWNER}/${NAME}`,
  }: {
    number: number;
    headSha: string;
    action?: string;
    headRepo?: string;
  }) =>
    JSON.stringify({
      action,
      number,
      pull_request: {
        number,
        title: `Change ${number}`,
        html_url: `https://github.com/${OWNER}/${NAME}/pull/${number}`,
        head: {
          sha: headSha,
          ref: `pr-${number}`,
          repo: { full_name: headRepo, clone_url: `https://github.com/${headRepo}.git` },
        },
        base: {
          sha: baseSha,
          ref: 'main',
          repo: { full_name: `${OWNER}/${NAME}`, clone_url: gitServer.url(repo.name) },
        },
      },
      repository: {
        full_name: `${OWNER}/${NAME}`,
        clone_url: gitServer.url(repo.name),
        html_url: gitServer.url(repo.name),
      },
    });

  const deliver = (payload: string, secret = WEBHOOK_SECRET) =>
    fetch(`${platform.url}/api/v1/webhooks/github`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'pull_request',
        'x-github-delivery': randomBytes(8).toString('hex'),
        'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(payload).digest('hex')}`,
      },
      body: payload,
    });

  const completedCheck = (headSha: string) =>
    vi.waitFor(
      () => {
        const run = github
          .checkRuns()
          .find((check) => check.head_sha === headSha && check.status === 'completed');
        if (!run) throw new Error(`no completed check run on ${headSha.slice(0, 7)} yet`);
        return run;
      },
      { timeout: 120_000, interval: 500 },
    );

  const writes = () => envtest.clusters.map((cluster) => cluster.countMutatingRequests());

  beforeAll(async () => {
    [envtest, platform, github] = await Promise.all([
      startTestClusters(3, { names: ['dev-1', 'prod-1', 'prod-2'] }),
      startPlatform({
        env: {
          FLOTILLA_MONITOR_INTERVAL_SECONDS: '1',
          FLOTILLA_PROBE_INTERVAL_SECONDS: '2',
          FLOTILLA_TICK_SECONDS: '1',
          FLOTILLA_PUBLIC_URL: PUBLIC_URL,
        },
      }),
      startGithubServer(),
    ]);
    github.addToken(TOKEN);
    repo = await createBareRepo(FILES);
    baseSha = await repo.head();
    gitServer = await serveGitHttp({
      root: repo.root,
      auth: { username: 'x-access-token', password: TOKEN },
    });
    const labels = { 'dev-1': 'dev', 'prod-1': 'prod', 'prod-2': 'prod' } as Record<string, string>;
    for (const cluster of envtest.clusters) {
      const registered = await registerCluster(platform, cluster, { env: labels[cluster.name]! });
      await waitForConnectivity(platform, registered.id, 'Online');
    }
    gitRepoId = (
      await json<{ id: string }>(
        await platform.api('/api/v1/gitrepos', {
          json: {
            name: 'fleet',
            url: gitServer.url(repo.name),
            auth: { username: 'x-access-token', password: TOKEN },
            helmAuth: { username: 'charts', password: CHART_PASSWORD },
            webhookSecret: WEBHOOK_SECRET,
            targets: [{ clusterSelector: 'env=dev' }, { clusterSelector: 'env=prod' }],
          },
        }),
      )
    ).id;
    // A GitHub App connection (only Apps may write check runs), stored as the connection API
    // stores it: the private key sealed with the row id.
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    github.addApp({ appId: 4242, publicKey, installations: [{ id: 777, owner: OWNER }] });
    const { db } = platform.database;
    const gitRepo = await db.gitRepo.findUniqueOrThrow({ where: { id: gitRepoId } });
    const connectionId = `ghc${randomBytes(8).toString('hex')}`;
    await db.githubConnection.create({
      data: {
        id: connectionId,
        workspaceId: gitRepo.workspaceId,
        gitRepoId,
        authKind: 'app',
        appId: '4242',
        installationId: '777',
        baseUrl: github.url,
        owner: OWNER,
        repo: NAME,
        credential: new SecretBox(platform.secretKey).seal(
          { privateKey: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString() },
          connectionId,
        ),
      },
    });
    // Every cluster has the bundles applied at main before any PR.
    await vi.waitFor(
      async () => {
        const rows = await db.bundleDeployment.findMany({ include: { cluster: true } });
        const applied = rows.filter(
          (row) => row.desiredHash && row.appliedHash === row.desiredHash,
        );
        if (applied.length !== 6)
          throw new Error(
            `${applied.length}/6 deployments applied: ${rows.map((r) => `${r.cluster.name}:${r.state}`).join(', ')}`,
          );
      },
      { timeout: 120_000, interval: 500 },
    );
  });

  afterAll(async () => {
    if (process.env.FLOTILLA_TEST_DEBUG) console.log(platform?.workerLog().slice(-12000));
    await platform?.stop();
    await envtest?.stopAll();
    await github?.close();
    await gitServer?.stop();
    await repo?.remove();
  });

  it('refuses a wrongly signed pull_request event with 401 and queues nothing', async () => {
    const headSha = await openPullRequest(9, { 'web/fleet.yaml': fleetYaml(7) });
    const response = await deliver(pullRequestEvent({ number: 9, headSha }), 'not-the-secret');
    expect(response.status).toBe(401);
    const unsigned = await fetch(`${platform.url}/api/v1/webhooks/github`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-github-event': 'pull_request' },
      body: pullRequestEvent({ number: 9, headSha }),
    });
    expect(unsigned.status).toBe(401);
    const list = await json<{ items: ApiPreview[] }>(await platform.api('/api/v1/pull-requests'));
    expect(list.items.find((item) => item.number === 9)).toBeUndefined();
  });

  it('a PR changing the replica count of one customization: a check run naming exactly its clusters, with the diff; nothing applied', async () => {
    const before = writes();
    const headSha = await openPullRequest(1, { 'web/fleet.yaml': fleetYaml(5) });
    const response = await deliver(pullRequestEvent({ number: 1, headSha }));
    expect(response.status).toBe(202);
    const run: GithubCheckRunRecord = await completedCheck(headSha);
    expect(run).toMatchObject({
      owner: OWNER,
      repo: NAME,
      name: 'Flotilla preview',
      conclusion: 'success',
    });
    const output = run.output as { title: string; summary: string; text: string };
    expect(output.title).toBe('1 bundle changed on 2 clusters');
    expect(output.summary).toContain('`prod`: prod-1, prod-2');
    expect(output.summary).toContain('`defaults`: no change');
    expect(output.summary).not.toContain('other');
    expect(output.text).toContain('| web | prod | prod-1, prod-2 | 0 | 1 | 0 | ok |');
    expect(output.text).toContain('-  replicas: 2');
    expect(output.text).toContain('+  replicas: 5');
    expect(run.details_url).toMatch(new RegExp(`^${PUBLIC_URL}/pull-requests/\\w+$`));
    // The check was created, then completed: POST then PATCH, both accepted by the schema.
    const checkCalls = github
      .requests()
      .filter((request) => request.operationId?.startsWith('checks/'));
    expect(checkCalls.map((call) => `${call.operationId} ${call.status}`)).toEqual([
      'checks/create 201',
      'checks/update 200',
    ]);

    const list = await json<{ items: ApiPreview[] }>(await platform.api('/api/v1/pull-requests'));
    const listed = list.items.find((item) => item.number === 1)!;
    expect(listed).toMatchObject({
      gitRepo: { id: gitRepoId, name: 'fleet' },
      title: 'Change 1',
      headSha,
      conclusion: 'success',
      bundlesChanged: ['web'],
      clustersAffected: ['prod-1', 'prod-2'],
      objects: { added: 0, changed: 1, removed: 0 },
    });
    const detail = await json<ApiPreview>(await platform.api(`/api/v1/pull-requests/${listed.id}`));
    const prod = detail.bundles?.[0]?.customizations.find((c) => c.name === 'prod');
    expect(prod?.groups.flatMap((group) => group.clusters)).toEqual(['prod-1', 'prod-2']);
    expect(
      prod?.groups[0]?.changes.map(({ kind, name, change }) => `${kind}/${name} ${change}`),
    ).toEqual(['Deployment/web changed']);

    // Nothing from the PR reached a cluster or became a desired revision.
    expect(
      writes(),
      JSON.stringify(envtest.clusters.map((c) => c.mutatingRequests().slice(-3))),
    ).toEqual(before);
    const { db } = platform.database;
    expect(await db.bundleRender.count({ where: { commit: headSha } })).toBe(0);
    expect(
      await db.bundleDeployment.count({
        where: { OR: [{ targetCommit: headSha }, { desiredCommit: headSha }] },
      }),
    ).toBe(0);
    const web = await db.bundle.findFirstOrThrow({ where: { path: 'web' } });
    expect(web.commit).toBe(baseSha);
  });

  it('a PR that breaks a template posts a failing check naming the file', async () => {
    const before = writes();
    const headSha = await openPullRequest(2, {
      'web/templates/deployment.yaml': DEPLOYMENT_TEMPLATE.replace(
        '{{ .Values.replicas }}',
        '{{ .Values.replicas ',
      ),
    });
    expect((await deliver(pullRequestEvent({ number: 2, headSha }))).status).toBe(202);
    const run = await completedCheck(headSha);
    expect(run.conclusion).toBe('failure');
    const output = run.output as { title: string; summary: string; text: string };
    expect(output.title).toBe('2 render errors would break 3 clusters');
    expect(output.summary).toContain('web/templates/deployment.yaml');
    expect(output.summary).toMatch(/:x: `prod`: would break prod-1, prod-2: .*deployment\.yaml/);
    expect(writes()).toEqual(before);
  });

  it('a fork PR is previewed without any secret: copies that need one are not rendered, and no secret shows', async () => {
    for (const cluster of envtest.clusters) {
      await kubeConfigFor(cluster)
        .makeApiClient(k8s.CoreV1Api)
        .createNamespacedSecret({
          namespace: 'default',
          body: {
            metadata: { name: 'db' },
            stringData: { 'values.yaml': `replicas: 3\npassword: ${CLUSTER_SECRET}\n` },
          },
        });
    }
    const before = writes();
    // The fork asks for the clusters' secrets two ways: valuesFrom, and a lookup in a template.
    const headSha = await openPullRequest(3, {
      'web/fleet.yaml': `defaultNamespace: default
helm:
  releaseName: web
  values:
    replicas: 1
    tag: "1.0"
targetCustomizations:
  - name: prod
    clusterSelector:
      matchLabels: { env: prod }
    helm:
      valuesFrom:
        - secretKeyRef: { name: db, namespace: default, key: values.yaml }
`,
      'web/templates/leak.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: leak
data:
  stolen: {{ (lookup "v1" "Secret" "default" "db").data | toJson | quote }}
`,
    });
    const response = await deliver(
      pullRequestEvent({ number: 3, headSha, headRepo: 'mallory/fleet' }),
    );
    expect(response.status).toBe(202);
    const run = await completedCheck(headSha);
    expect(run.conclusion).toBe('failure');
    const output = run.output as { title: string; summary: string; text: string };
    expect(output.summary).toContain('A pull request from a fork');
    expect(output.summary).toMatch(
      /`prod`: would break prod-1, prod-2: not rendered for a fork PR: needs secrets \(helm.valuesFrom/,
    );
    expect(output.summary).toMatch(
      /`defaults`: would break dev-1: not rendered for a fork PR: needs secrets \(its chart reads the cluster\)/,
    );

    const list = await json<{ items: ApiPreview[] }>(await platform.api('/api/v1/pull-requests'));
    const listed = list.items.find((item) => item.number === 3)!;
    expect(listed.isFork).toBe(true);
    const detailText = await (await platform.api(`/api/v1/pull-requests/${listed.id}`)).text();
    for (const text of [JSON.stringify(run), detailText, platform.workerLog()]) {
      expect(text).not.toContain(CHART_PASSWORD);
      expect(text).not.toContain(CLUSTER_SECRET);
      expect(text).not.toContain(TOKEN);
    }
    expect(writes()).toEqual(before);
  });

  it('closing the PR takes its preview off the open list', async () => {
    const open = await json<{ items: ApiPreview[] }>(await platform.api('/api/v1/pull-requests'));
    const headSha = open.items.find((item) => item.number === 1)!.headSha;
    expect((await deliver(pullRequestEvent({ number: 1, headSha, action: 'closed' }))).status).toBe(
      202,
    );
    const after = await json<{ items: ApiPreview[] }>(await platform.api('/api/v1/pull-requests'));
    expect(after.items.map((item) => item.number).sort()).toEqual([2, 3]);
    const all = await json<{ items: ApiPreview[] }>(
      await platform.api('/api/v1/pull-requests?state=all'),
    );
    expect(all.items.find((item) => item.number === 1)?.isOpen).toBe(false);
  });
  it('a signed event that is no pull_request payload gets 422 naming the field', async () => {
    const event = JSON.parse(pullRequestEvent({ number: 5, headSha: 'c'.repeat(40) })) as Record<
      string,
      unknown
    >;
    const response = await deliver(JSON.stringify({ ...event, number: 'five' }));
    expect(response.status).toBe(422);
    const problem = (await response.json()) as { errors: { path: string; message: string }[] };
    expect(problem.errors).toEqual([
      {
        path: 'body',
        message: expect.stringMatching(/^not a GitHub pull_request event: number: /),
      },
    ]);
  });

  it('a GitHub outage fails the post, the job retries it, and deploys carry on meanwhile', async () => {
    github.setOutage({ kind: 'server-error', status: 503 });
    const headSha = await openPullRequest(4, {
      'other/config.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\ndata:\n  key: from-pr\n',
    });
    expect((await deliver(pullRequestEvent({ number: 4, headSha }))).status).toBe(202);
    // The preview is made and kept; only the post to GitHub failed, and says so.
    const stored = await vi.waitFor(
      async () => {
        const list = await json<{ items: (ApiPreview & { lastError: string })[] }>(
          await platform.api('/api/v1/pull-requests'),
        );
        const item = list.items.find((preview) => preview.number === 4);
        if (!item?.lastError) throw new Error(`no failed post yet: ${JSON.stringify(item)}`);
        return item;
      },
      { timeout: 60_000, interval: 500 },
    );
    expect(stored).toMatchObject({ conclusion: 'success', bundlesChanged: ['other'] });
    expect(stored.lastError).toContain('GitHub refused the preview');

    // A push to main deploys while GitHub is down.
    await repo.commit(
      {
        'other/config.yaml':
          'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\ndata:\n  key: from-main\n',
      },
      { message: 'main moves on' },
    );
    await json(await platform.api(`/api/v1/gitrepos/${gitRepoId}/sync`, { method: 'POST' }));
    const core = kubeConfigFor(envtest.clusters[0]!).makeApiClient(k8s.CoreV1Api);
    await vi.waitFor(
      async () => {
        const live = await core.readNamespacedConfigMap({ name: 'other', namespace: 'default' });
        expect(live.data?.key).toBe('from-main');
      },
      { timeout: 90_000, interval: 500 },
    );
    expect(github.checkRuns().some((run) => run.head_sha === headSha)).toBe(false);

    github.setOutage(null);
    const run = await completedCheck(headSha);
    expect(run.conclusion).toBe('success');
    expect((run.output as { summary: string }).summary).toContain('**other**');
    const after = await json<{ items: (ApiPreview & { lastError: string })[] }>(
      await platform.api('/api/v1/pull-requests'),
    );
    expect(after.items.find((preview) => preview.number === 4)?.lastError).toBe('');
  });
});
