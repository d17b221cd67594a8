import {
  createBareRepo,
  startPlatform,
  startTestClusters,
  type BareRepo,
  type Platform,
  type TestCluster,
  type TestClusters,
} from '@flotilla/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { json, readObject, registerCluster, waitForConnectivity } from './clusters-api.ts';

const configMap = (mode: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings }\ndata: { mode: ${mode} }\n`;
const SETTINGS = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'pinned', name: 'settings' };

interface HistoryEntry {
  commit: string | null;
  revisionHash: string;
  result: 'applied' | 'failed';
  error: string;
  trigger: 'commit' | 'drift' | 'retry' | 'rollback';
}
interface BundleView {
  commit: string | null;
  pin: { commit: string; by: string; at: string; isHoldingBack: boolean } | null;
}
interface Problem {
  status: number;
  errors?: { path: string; message: string }[];
}

/**
 * History and rollback on one pushed cluster: v1 and v2 go out and the deployment's history
 * lists both; the bundle is pinned to v1 (a rollback), a new commit v3 is held back while the
 * pin holds, and releasing the pin lets v3 out.
 */
describe('deployment history and pinning a bundle to an earlier commit', () => {
  let envtest: TestClusters;
  let platform: Platform;
  let repo: BareRepo;
  let cluster: TestCluster;
  let gitRepoId: string;

  const deployment = () =>
    platform.database.db.bundleDeployment.findFirstOrThrow({
      where: { bundle: { path: 'app' } },
    });
  const bundleId = async () => (await deployment()).bundleId;
  const liveMode = async () =>
    ((await readObject(cluster, SETTINGS)) as { data?: Record<string, string> }).data?.mode;
  const history = async () =>
    (
      await json<{ items: HistoryEntry[] }>(
        await platform.api(`/api/v1/deployments/${(await deployment()).id}/history`),
      )
    ).items;
  const bundle = async () =>
    json<BundleView>(await platform.api(`/api/v1/bundles/${await bundleId()}`));
  const pin = async (commit: string, token?: string) =>
    platform.api(`/api/v1/bundles/${await bundleId()}/pin`, {
      method: 'PUT',
      json: { commit },
      ...(token ? { token } : {}),
    });
  /** Commits `mode`, fetches now, and returns the commit once the bundle rendered it. */
  const commit = async (mode: string) => {
    const sha = await repo.commit({ 'app/config.yaml': configMap(mode) }, { message: mode });
    await platform.api(`/api/v1/gitrepos/${gitRepoId}/sync`, { method: 'POST' });
    await vi.waitFor(async () => expect((await bundle()).commit).toBe(sha), {
      timeout: 60_000,
      interval: 500,
    });
    return sha;
  };
  const waitApplied = (mode: string, sha: string) =>
    vi.waitFor(
      async () => {
        expect(await liveMode()).toBe(mode);
        const row = await deployment();
        expect(row.appliedCommit).toBe(sha);
        expect(row.state).toBe('Ready');
      },
      { timeout: 90_000, interval: 500 },
    );

  beforeAll(async () => {
    envtest = await startTestClusters(1, { names: ['prod'] });
    cluster = envtest.clusters[0]!;
    platform = await startPlatform({
      env: {
        FLOTILLA_MONITOR_INTERVAL_SECONDS: '2',
        FLOTILLA_PROBE_INTERVAL_SECONDS: '1',
        FLOTILLA_TICK_SECONDS: '1',
      },
    });
    repo = await createBareRepo({
      'app/fleet.yaml': 'defaultNamespace: pinned\n',
      'app/config.yaml': configMap('v1'),
    });
    const { id } = await registerCluster(platform, cluster, { env: 'prod' });
    await waitForConnectivity(platform, id, 'Online');
    gitRepoId = (
      await json<{ id: string }>(
        await platform.api('/api/v1/gitrepos', {
          json: {
            name: 'pinned',
            url: repo.url,
            targets: [{ clusterSelector: { matchLabels: { env: 'prod' } } }],
          },
        }),
      )
    ).id;
  });

  afterAll(async () => {
    await platform?.stop();
    await envtest?.stopAll();
    await repo?.remove();
  });

  it('records each apply, rolls back to v1 by a pin, holds v3 back while pinned, and applies v3 once released', async () => {
    await vi.waitFor(async () => expect((await bundle()).commit).not.toBeNull(), {
      timeout: 120_000,
      interval: 500,
    });
    const v1 = (await bundle()).commit!;
    await waitApplied('v1', v1);
    const v2 = await commit('v2');
    await waitApplied('v2', v2);

    // The history lists what was applied, newest first, each from a Git commit.
    const afterV2 = await history();
    expect(afterV2.map((entry) => [entry.commit, entry.result, entry.trigger])).toEqual([
      [v2, 'applied', 'commit'],
      [v1, 'applied', 'commit'],
    ]);
    expect(afterV2[0]!.revisionHash).toBe((await deployment()).appliedHash);

    // A commit the bundle never rendered is refused, naming the field; so is a malformed one.
    const unknown = await pin('0123456789abcdef0123456789abcdef01234567');
    expect(unknown.status).toBe(422);
    const problem = (await unknown.json()) as Problem;
    expect(problem.errors?.map((error) => error.path)).toEqual(['commit']);
    expect(problem.errors?.[0]?.message).toContain('0123456789abcdef');
    const malformed = await pin('not a sha');
    expect(malformed.status).toBe(422);
    expect(((await malformed.json()) as Problem).errors?.map((error) => error.path)).toEqual([
      'commit',
    ]);
    // A viewer may read the history, never pin.
    const viewer = await json<{ token: string }>(
      await platform.api('/api/v1/tokens', { json: { name: 'viewer', role: 'viewer' } }),
    );
    expect((await pin(v1, viewer.token)).status).toBe(403);
    expect(
      (
        await platform.api(`/api/v1/deployments/${(await deployment()).id}/history`, {
          token: viewer.token,
        })
      ).status,
    ).toBe(200);
    expect((await bundle()).pin).toBeNull();

    // Roll back: pin to v1 by an abbreviated commit. The cluster gets v1's content again.
    const pinned = await pin(v1.slice(0, 10));
    expect(pinned.status).toBe(200);
    expect(((await pinned.json()) as BundleView).pin).toMatchObject({
      commit: v1,
      isHoldingBack: true,
    });
    await waitApplied('v1', v1);
    expect((await history())[0]).toMatchObject({
      commit: v1,
      result: 'applied',
      trigger: 'rollback',
    });
    const audit = await platform.database.db.auditEntry.findFirstOrThrow({
      where: { action: 'bundle.pin' },
    });
    expect(audit.details).toMatchObject({ commit: v1 });

    // v3 is rendered and planned, but held back: the cluster keeps v1.
    const v3 = await commit('v3');
    await vi.waitFor(
      async () => {
        const row = await platform.database.db.bundle.findUniqueOrThrow({
          where: { id: await bundleId() },
        });
        // The plan that ran after v3 rendered records its rollout under the latest commit.
        expect(row.rolloutStatus).toMatchObject({ commit: v3 });
      },
      { timeout: 60_000, interval: 500 },
    );
    const held = await deployment();
    expect(held.desiredCommit).toBe(v1);
    expect(held.appliedCommit).toBe(v1);
    expect(held.state).toBe('Ready');
    expect(await liveMode()).toBe('v1');
    expect((await bundle()).pin).toMatchObject({ commit: v1, isHoldingBack: true });
    // The deployment says so too: held at the pin, a newer commit waiting.
    const view = await json<{ pin: BundleView['pin']; desiredCommit: string }>(
      await platform.api(`/api/v1/deployments/${held.id}`),
    );
    expect(view.desiredCommit).toBe(v1);
    expect(view.pin).toMatchObject({ commit: v1, isHoldingBack: true });
    expect((await history()).map((entry) => entry.commit)).toEqual([v1, v2, v1]);

    // Released: the bundle follows Git again and v3 goes out.
    const released = await platform.api(`/api/v1/bundles/${await bundleId()}/pin`, {
      method: 'DELETE',
    });
    expect(released.status).toBe(200);
    expect(((await released.json()) as BundleView).pin).toBeNull();
    await waitApplied('v3', v3);
    expect((await history()).map((entry) => [entry.commit, entry.trigger])).toEqual([
      [v3, 'commit'],
      [v1, 'rollback'],
      [v2, 'commit'],
      [v1, 'commit'],
    ]);
  });
});
