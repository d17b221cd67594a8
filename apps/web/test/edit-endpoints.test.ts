import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createToken, json, signIn, uniqueName } from './access-helpers.ts';
import { createBareRepo, startPlatform, type BareRepo, type Platform } from './testkit.ts';

const canary = (stem: string) => `${stem}-${randomBytes(9).toString('hex')}`;

interface ClusterBody {
  id: string;
  apiServerUrl: string | null;
  hasCredentials: boolean;
  hasCaData: boolean;
  credentialKind: string;
}
interface GitRepoBody {
  id: string;
  url: string;
  branch: string;
  paths: string[];
  commit: string | null;
  hasAuth: boolean;
}
interface Problem {
  status: number;
  errors?: { path: string; message: string }[];
}

const MANIFEST = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n';

/**
 * Issue 16: everything you can create you can edit. PATCH of a cluster's connection (URL, CA,
 * token) and of a repository's URL, branch, paths and credentials: validated with the field
 * named in plain words, limited to operators, audited, and never answering with a secret.
 */
describe('editing clusters and repositories', () => {
  let platform: Platform;
  let repo: BareRepo;
  let releaseCommit: string;
  let viewerToken: string;
  let operatorToken: string;

  const patch = (path: string, body: unknown, token?: string) =>
    platform.api(`/api/v1${path}`, {
      method: 'PATCH',
      json: body,
      ...(token ? { token } : {}),
    });
  const newCluster = async () =>
    json<ClusterBody>(
      await platform.api('/api/v1/clusters', {
        json: {
          name: uniqueName('c'),
          apiServerUrl: 'https://127.0.0.1:1',
          token: canary('first-token'),
        },
      }),
    );

  beforeAll(async () => {
    [platform, repo] = await Promise.all([
      startPlatform({ env: { FLOTILLA_TICK_SECONDS: '1' } }),
      createBareRepo({ 'app/configmap.yaml': MANIFEST }),
    ]);
    releaseCommit = await repo.commit(
      { 'app/configmap.yaml': MANIFEST, 'app/extra.yaml': MANIFEST.replace('settings', 'more') },
      { message: 'release', branch: 'release' },
    );
    const admin = await signIn(platform, platform.adminEmail, platform.adminPassword);
    [viewerToken, operatorToken] = await Promise.all([
      createToken(platform, admin, 'viewer').then((created) => created.token),
      createToken(platform, admin, 'operator').then((created) => created.token),
    ]);
  });

  afterAll(async () => {
    await platform?.stop();
    await repo?.remove();
  });

  describe('PATCH /clusters/{id}: the connection', () => {
    it('replaces the token: the answer and the audit trail say it changed, never what it is', async () => {
      const cluster = await newCluster();
      const before = await platform.database.db.cluster.findUniqueOrThrow({
        where: { id: cluster.id },
      });
      const token = canary('new-token');
      const response = await patch(`/clusters/${cluster.id}`, { token }, operatorToken);
      const text = await response.text();
      expect(response.status).toBe(200);
      expect(text).not.toContain(token);
      expect(JSON.parse(text)).toMatchObject({ hasCredentials: true, credentialKind: 'token' });
      const after = await platform.database.db.cluster.findUniqueOrThrow({
        where: { id: cluster.id },
      });
      expect(Buffer.from(after.credentials!).equals(Buffer.from(before.credentials!))).toBe(false);
      expect(Buffer.from(after.credentials!).toString('latin1')).not.toContain(token);

      const audit = await platform.database.db.auditEntry.findFirstOrThrow({
        where: { objectId: cluster.id, action: 'cluster.update' },
        orderBy: { at: 'desc' },
      });
      expect(JSON.stringify(audit)).not.toContain(token);
      expect(audit.details).toMatchObject({ token: 'replaced' });
    });

    it('changes the URL and the CA, and drops the CA again', async () => {
      const cluster = await newCluster();
      const caData = Buffer.from(
        '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
      ).toString('base64');
      await expect(
        json<ClusterBody>(
          await patch(`/clusters/${cluster.id}`, {
            apiServerUrl: 'https://127.0.0.1:2',
            caData,
          }),
        ),
      ).resolves.toMatchObject({ apiServerUrl: 'https://127.0.0.1:2', hasCaData: true });
      await expect(
        json<ClusterBody>(await patch(`/clusters/${cluster.id}`, { caData: null })),
      ).resolves.toMatchObject({ hasCaData: false });
    });

    it.each([
      [{ token: '' }, 'token', 'must not be empty (leave it out to keep the current token)'],
      [
        { caData: 'not base64!' },
        'caData',
        'must be base64 (the certificate-authority-data of a kubeconfig)',
      ],
      [{ apiServerUrl: 42 }, 'apiServerUrl', 'must be text'],
      [{ tokne: 'x' }, 'tokne', 'is not a field this accepts (check its spelling)'],
      [
        { labels: { 'bad key!': 'x' } },
        'labels.bad key!',
        expect.stringMatching(/^the key "bad key!" is not valid: /),
      ],
    ])('refuses %j naming the field in words', async (body, path, message) => {
      const cluster = await newCluster();
      const response = await patch(`/clusters/${cluster.id}`, body);
      expect(response.status).toBe(422);
      const problem = (await response.json()) as Problem;
      expect(problem.errors).toContainEqual({ path, message });
    });

    it('refuses an address the platform must not reach', async () => {
      const cluster = await newCluster();
      const response = await patch(`/clusters/${cluster.id}`, {
        apiServerUrl: 'https://169.254.169.254',
      });
      expect(response.status).toBe(422);
      expect(((await response.json()) as Problem).errors?.[0]?.path).toBe('apiServerUrl');
    });

    it('refuses a token for an agent cluster: its agent connects, Flotilla holds no token', async () => {
      const agent = await json<{ id: string }>(
        await platform.api('/api/v1/clusters', {
          json: { connectionKind: 'agent', name: uniqueName('agent') },
        }),
      );
      const response = await patch(`/clusters/${agent.id}`, { token: canary('agent-token') });
      expect(response.status).toBe(422);
      expect(((await response.json()) as Problem).errors).toEqual([
        { path: 'token', message: 'cannot be set: this cluster connects through its agent' },
      ]);
    });

    it('is for operators: a viewer gets 403 and the token stays', async () => {
      const cluster = await newCluster();
      const before = await platform.database.db.cluster.findUniqueOrThrow({
        where: { id: cluster.id },
      });
      const response = await patch(`/clusters/${cluster.id}`, { token: 'x' }, viewerToken);
      expect(response.status).toBe(403);
      const after = await platform.database.db.cluster.findUniqueOrThrow({
        where: { id: cluster.id },
      });
      expect(Buffer.from(after.credentials!).equals(Buffer.from(before.credentials!))).toBe(true);
    });
  });

  describe('PATCH /gitrepos/{id}: where the bundles come from', () => {
    let gitRepoId: string;

    beforeAll(async () => {
      const created = await json<GitRepoBody>(
        await platform.api('/api/v1/gitrepos', {
          json: { name: uniqueName('r'), url: repo.url, paths: ['app'] },
        }),
      );
      gitRepoId = created.id;
    });

    it('moves to another branch and fetches its commit', async () => {
      const updated = await json<GitRepoBody>(
        await patch(`/gitrepos/${gitRepoId}`, { branch: 'release' }, operatorToken),
      );
      expect(updated.branch).toBe('release');
      await vi.waitFor(
        async () => {
          const current = await json<GitRepoBody>(
            await platform.api(`/api/v1/gitrepos/${gitRepoId}`),
          );
          expect(current.commit).toBe(releaseCommit);
        },
        { timeout: 30_000, interval: 250 },
      );
    });

    it('replaces and removes credentials without ever answering with them', async () => {
      const secret = canary('git-token');
      const response = await patch(`/gitrepos/${gitRepoId}`, {
        auth: { username: 'bot', token: secret },
      });
      const text = await response.text();
      expect(response.status).toBe(200);
      expect(text).not.toContain(secret);
      expect(JSON.parse(text)).toMatchObject({ hasAuth: true });
      const read = await (await platform.api(`/api/v1/gitrepos/${gitRepoId}`)).text();
      expect(read).not.toContain(secret);
      await expect(
        json<GitRepoBody>(await patch(`/gitrepos/${gitRepoId}`, { auth: null })),
      ).resolves.toMatchObject({ hasAuth: false });
    });

    it('changes paths and URL, keeping what the request leaves out', async () => {
      const updated = await json<GitRepoBody>(
        await patch(`/gitrepos/${gitRepoId}`, { paths: ['app', 'more'] }),
      );
      expect(updated).toMatchObject({ paths: ['app', 'more'], branch: 'release', url: repo.url });
    });

    it.each([
      [{ branch: 'no such branch' }, 'branch', 'is not a valid git branch or revision'],
      [
        { paths: ['../outside'] },
        'paths[0]',
        'must be a path inside the repository (no leading "/", no "..")',
      ],
      [{ auth: { username: 'bot' } }, 'auth', 'give a password or a token'],
      [{ url: 'not a url' }, 'url', 'must be a URL such as https://github.com/org/repo.git'],
      [{ brnach: 'main' }, 'brnach', 'is not a field this accepts (check its spelling)'],
    ])('refuses %j naming the field in words', async (body, path, message) => {
      const response = await patch(`/gitrepos/${gitRepoId}`, body);
      expect(response.status).toBe(422);
      expect(((await response.json()) as Problem).errors).toContainEqual({ path, message });
    });

    it('is for operators: a viewer gets 403', async () => {
      const response = await patch(`/gitrepos/${gitRepoId}`, { branch: 'main' }, viewerToken);
      expect(response.status).toBe(403);
    });
  });

  describe('GET /cluster-groups/{id}: members and the bundles that target the group', () => {
    it('lists the clusters it selects and the bundles whose targets go through it', async () => {
      const team = uniqueName('team');
      const [inside, outside] = await Promise.all(
        ['in', 'out'].map(async (where) =>
          json<ClusterBody & { name: string }>(
            await platform.api('/api/v1/clusters', {
              json: {
                name: uniqueName(where),
                labels: { team: where === 'in' ? team : 'other' },
                apiServerUrl: 'https://127.0.0.1:1',
                token: 'unused',
              },
            }),
          ),
        ),
      );
      const group = await json<{ id: string; name: string }>(
        await platform.api('/api/v1/cluster-groups', {
          json: { name: uniqueName('g'), selector: `team=${team}`, labels: { tier: team } },
        }),
      );
      const [byName, byLabels, unrelated] = await Promise.all(
        [
          [{ clusterSelector: 'env=none' }, { clusterGroup: group.name }],
          [{ clusterGroupSelector: `tier=${team}` }],
          [{ clusterSelector: {} }],
        ].map(async (targets) =>
          json<GitRepoBody>(
            await platform.api('/api/v1/gitrepos', {
              json: { name: uniqueName('r'), url: repo.url, paths: ['app'], targets },
            }),
          ),
        ),
      );
      const detail = await vi.waitFor(
        async () => {
          const body = await json<{
            clusterCount: number;
            clusters: { id: string }[];
            bundles: { gitRepoId: string; targetIndex: number; isInherited: boolean }[];
          }>(await platform.api(`/api/v1/cluster-groups/${group.id}`, { token: viewerToken }));
          expect(body.bundles).toHaveLength(2);
          return body;
        },
        { timeout: 30_000, interval: 250 },
      );
      expect(detail.clusterCount).toBe(1);
      expect(detail.clusters.map((cluster) => cluster.id)).toEqual([inside!.id]);
      expect(detail.clusters.map((cluster) => cluster.id)).not.toContain(outside!.id);
      expect(detail.bundles).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ gitRepoId: byName!.id, targetIndex: 1, isInherited: true }),
          expect.objectContaining({ gitRepoId: byLabels!.id, targetIndex: 0, isInherited: true }),
        ]),
      );
      expect(detail.bundles.map((bundle) => bundle.gitRepoId)).not.toContain(unrelated!.id);
    });
  });

  describe('POST /clusters/test-connection: reach a cluster without saving anything', () => {
    const test = (body: unknown, token?: string) =>
      platform.api('/api/v1/clusters/test-connection', {
        json: body,
        ...(token ? { token } : {}),
      });

    it("says why a new connection fails, in the probe's words", async () => {
      const response = await test(
        { apiServerUrl: 'https://127.0.0.1:1', token: 'x' },
        operatorToken,
      );
      expect(response.status).toBe(200);
      const result = (await response.json()) as { ok: boolean; message: string };
      expect(result.ok).toBe(false);
      expect(result.message).toMatch(/refused|unreachable|connect/i);
    });

    it('tests a stored cluster with a changed URL, never answering with its token', async () => {
      const cluster = await newCluster();
      const stored = await platform.database.db.cluster.findUniqueOrThrow({
        where: { id: cluster.id },
      });
      const response = await test({ clusterId: cluster.id, apiServerUrl: 'https://127.0.0.1:3' });
      const text = await response.text();
      expect(response.status).toBe(200);
      expect(JSON.parse(text)).toMatchObject({ ok: false });
      expect(text).not.toContain('first-token');
      const after = await platform.database.db.cluster.findUniqueOrThrow({
        where: { id: cluster.id },
      });
      expect(after.apiServerUrl).toBe(stored.apiServerUrl);
    });

    it.each([
      [{ apiServerUrl: 'https://127.0.0.1:1' }, 'token', 'is required (or give a kubeconfig)'],
      [{ apiServerUrl: 'https://169.254.169.254', token: 'x' }, 'apiServerUrl', expect.any(String)],
      [
        { clusterId: 'nope', tokne: 'x' },
        'tokne',
        'is not a field this accepts (check its spelling)',
      ],
    ])('refuses %j naming the field', async (body, path, message) => {
      const response = await test(body);
      expect(response.status).toBe(422);
      expect(((await response.json()) as Problem).errors).toContainEqual({ path, message });
    });

    it('is for operators: a viewer gets 403', async () => {
      const response = await test({ apiServerUrl: 'https://127.0.0.1:1', token: 'x' }, viewerToken);
      expect(response.status).toBe(403);
    });
  });
});
