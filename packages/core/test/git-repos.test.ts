import { createHmac, randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import {
  createBareRepo,
  serveGitHttp,
  startPlatform,
  startTestClusters,
  type BareRepo,
  type GitHttpServer,
  type Platform,
  type TestClusters,
} from '@flotilla/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

interface RepoView {
  id: string;
  commit: string | null;
  state: string;
  message: string;
  fetchedAt: string | null;
  bundles: { id: string; name: string; path: string; commit: string | null; renderError: string }[];
}

const configMap = (name: string, value: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ${name} }\ndata: { value: "${value}" }\n`;

describe('git repos to bundles', () => {
  let platform: Platform;
  let envtest: TestClusters;
  let server: GitHttpServer;
  let privateRepo: BareRepo;
  const password = `pw-${randomBytes(10).toString('hex')}`;
  const webhookSecret = `hook-${randomBytes(10).toString('hex')}`;

  const getRepo = async (id: string) =>
    (await (await platform.api(`/api/v1/gitrepos/${id}`)).json()) as RepoView;
  const waitForRepo = (id: string, check: (repo: RepoView) => void, timeout = 60_000) =>
    vi.waitFor(
      async () => {
        const repo = await getRepo(id);
        check(repo);
        return repo;
      },
      { timeout, interval: 300 },
    );

  beforeAll(async () => {
    privateRepo = await createBareRepo({
      'apps/frontend/flotilla.yaml':
        'defaultNamespace: web\ntargetCustomizations:\n- name: prod\n  clusterSelector: { matchLabels: { env: prod } }\n  namespace: web-prod\n- name: dev\n  clusterSelector: { matchLabels: { env: dev } }\n',
      'apps/frontend/config.yaml': configMap('frontend', 'v1'),
      'apps/backend/fleet.yaml': 'defaultNamespace: api\n',
      'apps/backend/config.yaml': configMap('backend', 'v1'),
    });
    [platform, envtest, server] = await Promise.all([
      startPlatform({
        env: {
          FLOTILLA_TICK_SECONDS: '1',
          FLOTILLA_SWEEP_INTERVAL_SECONDS: '2',
          FLOTILLA_PROBE_INTERVAL_SECONDS: '2',
          FLOTILLA_MAX_BUNDLE_BYTES: String(256 * 1024),
        },
      }),
      startTestClusters(2, { names: ['dev', 'prod'] }),
      serveGitHttp({ root: privateRepo.root, auth: { username: 'deployer', password } }),
    ]);
    for (const [index, env] of ['dev', 'prod'].entries()) {
      const cluster = envtest.clusters[index]!;
      await platform.api('/api/v1/clusters', {
        json: {
          name: env,
          labels: { env },
          apiServerUrl: cluster.url,
          caData: cluster.caData,
          token: cluster.token,
        },
      });
    }
  });

  afterAll(async () => {
    await platform?.stop();
    await server?.stop();
    await envtest?.stopAll();
    await privateRepo?.remove();
  });

  it('fetches a repository over HTTP with basic auth and shows each bundle at its commit; the password shows nowhere', async () => {
    const url = server.url(privateRepo.name);
    const response = await platform.api('/api/v1/gitrepos', {
      json: {
        name: 'private',
        url,
        auth: { username: 'deployer', password },
        webhookSecret,
        pollIntervalSeconds: 10,
        targets: [{ clusterSelector: {} }],
      },
    });
    expect(response.status).toBe(201);
    const created = (await response.json()) as { id: string; hasAuth: boolean };
    expect(created.hasAuth).toBe(true);
    const head = await privateRepo.head();
    const repo = await waitForRepo(created.id, (found) => {
      expect(found.commit).toBe(head);
      expect(found.bundles.map((bundle) => [bundle.path, bundle.commit])).toEqual([
        ['apps/backend', head],
        ['apps/frontend', head],
      ]);
    });
    expect(repo.state).toBe('Ready');
    const everything = [
      JSON.stringify(repo),
      JSON.stringify(await (await platform.api('/api/v1/gitrepos')).json()),
      platform.webLog(),
      platform.workerLog(),
    ].join('\n');
    expect(everything).not.toContain(password);
    expect(everything).not.toContain(webhookSecret);
  });

  it('renders once per distinct (commit, bundle, customization), however often the commit is fetched', async () => {
    const { items } = (await (await platform.api('/api/v1/gitrepos')).json()) as {
      items: RepoView[];
    };
    const repo = items[0]!;
    const redis = new Redis(platform.redisUrl);
    const renders = async () => Number((await redis.get('flotilla:metrics:renders')) ?? 0);
    // backend: defaults; frontend: defaults, prod, dev.
    await vi.waitFor(async () => expect(await renders()).toBe(4), { timeout: 30_000 });
    for (let index = 0; index < 3; index += 1) {
      expect(
        (await platform.api(`/api/v1/gitrepos/${repo.id}/sync`, { method: 'POST' })).status,
      ).toBe(202);
    }
    await new Promise((resolve) => setTimeout(resolve, 4000));
    expect(await renders()).toBe(4);
    expect(await platform.database.db.bundleRender.count()).toBe(4);
    // Revisions are content-addressed: frontend's "dev" customization changes nothing, so it
    // renders to the same revision as the defaults, stored once: backend, frontend, frontend-prod.
    expect(await platform.database.db.bundleRevision.count()).toBe(3);
    await redis.quit();
  });

  it('picks up a new commit by polling, without being told', async () => {
    const { items } = (await (await platform.api('/api/v1/gitrepos')).json()) as {
      items: RepoView[];
    };
    const commit = await privateRepo.commit(
      { 'apps/backend/config.yaml': configMap('backend', 'v2') },
      { message: 'v2' },
    );
    await waitForRepo(items[0]!.id, (repo) => expect(repo.commit).toBe(commit), 40_000);
  });

  it('fetches at once on a correctly signed GitHub push, and refuses a wrongly signed one', async () => {
    const { items } = (await (await platform.api('/api/v1/gitrepos')).json()) as {
      items: RepoView[];
    };
    const repo = items[0]!;
    // Slow the poll right down so that only the webhook can explain a fast fetch.
    await platform.api(`/api/v1/gitrepos/${repo.id}`, {
      method: 'PATCH',
      json: { pollIntervalSeconds: 3600 },
    });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const commit = await privateRepo.commit(
      { 'apps/backend/config.yaml': configMap('backend', 'v3') },
      { message: 'v3' },
    );
    const payload = JSON.stringify({
      ref: 'refs/heads/main',
      before: '0'.repeat(40),
      after: commit,
      repository: {
        full_name: 'local/repo',
        clone_url: server.url(privateRepo.name),
        html_url: server.url(privateRepo.name),
        ssh_url: 'git@127.0.0.1:local/repo.git',
      },
    });
    const send = (signature: string, delivery: string) =>
      fetch(`${platform.url}/api/v1/webhooks/github`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-github-event': 'push',
          'x-github-delivery': delivery,
          'x-hub-signature-256': signature,
        },
        body: payload,
      });
    const wrong = await send(
      `sha256=${createHmac('sha256', 'not-the-secret').update(payload).digest('hex')}`,
      'delivery-1',
    );
    expect(wrong.status).toBe(401);
    const right = await send(
      `sha256=${createHmac('sha256', webhookSecret).update(payload).digest('hex')}`,
      'delivery-2',
    );
    expect(right.status).toBe(202);
    expect(await right.json()).toEqual({ status: 'accepted', repos: 1 });
    await waitForRepo(repo.id, (found) => expect(found.commit).toBe(commit), 15_000);
    const again = await send(
      `sha256=${createHmac('sha256', webhookSecret).update(payload).digest('hex')}`,
      'delivery-2',
    );
    expect(await again.json()).toMatchObject({ status: 'duplicate' });
    const huge = await fetch(`${platform.url}/api/v1/webhooks/github`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: 'x'.repeat(2 * 1024 * 1024),
    });
    expect(huge.status).toBe(413);
  });

  it("lets a bundle's own targets override its repo's, changing the targeted clusters", async () => {
    const { items } = (await (await platform.api('/api/v1/gitrepos')).json()) as {
      items: RepoView[];
    };
    const backend = items[0]!.bundles.find((bundle) => bundle.path === 'apps/backend')!;
    const clustersOf = async () =>
      (
        (await (await platform.api(`/api/v1/bundles/${backend.id}/deployments`)).json()) as {
          items: { clusterName: string }[];
        }
      ).items
        .map((item) => item.clusterName)
        .sort();
    await vi.waitFor(async () => expect(await clustersOf()).toEqual(['dev', 'prod']), {
      timeout: 60_000,
      interval: 500,
    });
    const put = await platform.api(`/api/v1/bundles/${backend.id}/targets`, {
      method: 'PUT',
      json: { targets: [{ clusterSelector: 'env=prod' }] },
    });
    expect(put.status).toBe(200);
    const view = (await put.json()) as { inherited: boolean; clusters: { name: string }[] };
    expect(view.inherited).toBe(false);
    expect(view.clusters.map((cluster) => cluster.name)).toEqual(['prod']);
    await vi.waitFor(async () => expect(await clustersOf()).toEqual(['prod']), {
      timeout: 60_000,
      interval: 500,
    });
    const reset = await platform.api(`/api/v1/bundles/${backend.id}/targets`, {
      method: 'PUT',
      json: { targets: null },
    });
    expect(((await reset.json()) as { inherited: boolean }).inherited).toBe(true);
    await vi.waitFor(async () => expect(await clustersOf()).toEqual(['dev', 'prod']), {
      timeout: 60_000,
      interval: 500,
    });
  });
});

describe('safety limits: each breach is a clear error on its bundle, and other repos keep syncing', () => {
  let platform: Platform;
  const repos: BareRepo[] = [];

  beforeAll(async () => {
    platform = await startPlatform({
      env: {
        FLOTILLA_TICK_SECONDS: '1',
        FLOTILLA_SWEEP_INTERVAL_SECONDS: '2',
        FLOTILLA_MAX_BUNDLE_BYTES: String(256 * 1024),
      },
    });
  });

  afterAll(async () => {
    await platform?.stop();
    for (const repo of repos) await repo.remove();
  });

  const laughs = [
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
    ...Array.from({ length: 8 }, (_, index) => {
      const name = String.fromCharCode(98 + index);
      const previous = String.fromCharCode(97 + index);
      return `${name}: &${name} [*${previous},*${previous},*${previous},*${previous},*${previous},*${previous},*${previous},*${previous},*${previous}]`;
    }),
  ].join('\n');

  const cases: Record<
    string,
    { files: Record<string, string | { symlink: string }>; error: RegExp }
  > = {
    'symlink escape': {
      files: {
        'app/config.yaml': configMap('a', '1'),
        'app/secret.yaml': { symlink: '../../../etc/passwd' },
      },
      error: /outside the repository|escapes/i,
    },
    "'../' path": {
      files: {
        'app/kustomization.yaml': 'resources:\n- ../../outside\n',
        'app/fleet.yaml': 'kustomize:\n  dir: ""\n',
      },
      error: /outside|escape/i,
    },
    'billion laughs': {
      files: {
        'app/config.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: lol }\n${laughs}\n`,
      },
      error: /alias/i,
    },
    '10,000 documents': {
      files: {
        'app/many.yaml': Array.from({ length: 10_000 }, (_, index) => `n: ${index}\n`).join(
          '---\n',
        ),
      },
      error: /documents/i,
    },
    'over-size bundle': {
      files: {
        'app/big.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: big }\ndata: { blob: "${'x'.repeat(300 * 1024)}" }\n`,
      },
      error: /bytes|size/i,
    },
  };

  it('shows the clear error on the bundle while a healthy repo keeps syncing', async () => {
    const healthy = await createBareRepo({ 'app/config.yaml': configMap('ok', 'v1') });
    repos.push(healthy);
    const healthyId = (
      (await (
        await platform.api('/api/v1/gitrepos', { json: { name: 'healthy', url: healthy.url } })
      ).json()) as { id: string }
    ).id;
    const bad: [string, string, RegExp][] = [];
    for (const [name, { files, error }] of Object.entries(cases)) {
      const repo = await createBareRepo(files);
      repos.push(repo);
      const response = await platform.api('/api/v1/gitrepos', { json: { name, url: repo.url } });
      expect(response.status, name).toBe(201);
      bad.push([name, ((await response.json()) as { id: string }).id, error]);
    }
    for (const [name, id, error] of bad) {
      await vi.waitFor(
        async () => {
          const repo = (await (await platform.api(`/api/v1/gitrepos/${id}`)).json()) as RepoView;
          const messages = [repo.message, ...repo.bundles.map((bundle) => bundle.renderError)].join(
            ' | ',
          );
          expect(messages, name).toMatch(error);
        },
        { timeout: 60_000, interval: 500 },
      );
    }
    const commit = await healthy.commit(
      { 'app/config.yaml': configMap('ok', 'v2') },
      { message: 'v2' },
    );
    await platform.api(`/api/v1/gitrepos/${healthyId}/sync`, { method: 'POST' });
    await vi.waitFor(
      async () => {
        const repo = (await (
          await platform.api(`/api/v1/gitrepos/${healthyId}`)
        ).json()) as RepoView;
        expect(repo.bundles[0]?.commit).toBe(commit);
        expect(repo.bundles[0]?.renderError).toBe('');
      },
      { timeout: 60_000, interval: 500 },
    );
  });

  it('refuses a repo path that leaves the repository with 422', async () => {
    const response = await platform.api('/api/v1/gitrepos', {
      json: { name: 'escape', url: 'file:///tmp/x.git', paths: ['../other'] },
    });
    expect(response.status).toBe(422);
    expect(((await response.json()) as { errors: { path: string }[] }).errors[0]?.path).toBe(
      'paths[0]',
    );
  });
});
