import { createTestDatabase, type TestDatabase } from '@flotilla/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forWorkspace, TENANT_MODELS, type Db } from '../src/index.ts';

/**
 * The operations a use case calls on a tenant model, typed loosely enough to walk every model
 * with one table (each Prisma delegate has its own argument types).
 */
interface Delegate {
  create: (args: { data: Record<string, unknown> }) => Promise<{ id: string; workspaceId: string }>;
  findMany: (args?: { where?: Record<string, unknown> }) => Promise<{ id: string }[]>;
  findFirst: (args: { where: Record<string, unknown> }) => Promise<{ id: string } | null>;
  findUnique: (args: { where: { id: string } }) => Promise<{ id: string } | null>;
  count: (args?: { where?: Record<string, unknown> }) => Promise<number>;
  update: (args: { where: { id: string }; data: Record<string, unknown> }) => Promise<unknown>;
  updateMany: (args: {
    where: Record<string, unknown>;
    data: Record<string, unknown>;
  }) => Promise<{ count: number }>;
  delete: (args: { where: { id: string } }) => Promise<unknown>;
  deleteMany: (args: { where: Record<string, unknown> }) => Promise<{ count: number }>;
}

function delegate(client: unknown, model: string): Delegate {
  const name = `${model[0]!.toLowerCase()}${model.slice(1)}`;
  return (client as Record<string, Delegate>)[name]!;
}

interface Parents {
  userId: string;
  gitRepoId: string;
  bundleId: string;
  clusterId: string;
  deploymentId: string;
  notificationRuleId: string;
}

let serial = 0;
const unique = (stem: string) => `${stem}-${(serial += 1)}`;

/** For each tenant model: a row to create (without workspaceId) and a harmless field to update. */
const FIXTURES: Record<
  string,
  { data: (parents: Parents) => Record<string, unknown>; update: Record<string, unknown> }
> = {
  Membership: {
    data: ({ userId }) => ({ userId, role: 'viewer' }),
    update: { role: 'admin' },
  },
  ApiToken: {
    data: () => ({ name: unique('t'), prefix: 'flt_x', tokenHash: unique('hash'), role: 'viewer' }),
    update: { name: 'renamed' },
  },
  Cluster: {
    data: () => ({
      name: unique('c'),
      apiServerUrl: 'https://10.0.0.1',
      credentials: Buffer.from('sealed'),
      credentialKind: 'token',
    }),
    update: { name: 'renamed' },
  },
  ClusterGroup: { data: () => ({ name: unique('g'), selector: {} }), update: { name: 'renamed' } },
  GitRepo: {
    data: () => ({ name: unique('r'), url: 'https://git.example/r.git' }),
    update: { message: 'changed' },
  },
  Bundle: {
    data: ({ gitRepoId }) => ({ gitRepoId, name: unique('b'), path: unique('p') }),
    update: { renderError: 'changed' },
  },
  BundleRevision: {
    data: () => ({ hash: unique('h'), objects: [], deployOptions: {}, resourceCount: 0 }),
    update: { resourceCount: 9 },
  },
  BundleDeployment: {
    data: ({ bundleId, clusterId }) => ({ bundleId, clusterId }),
    update: { message: 'changed' },
  },
  Event: { data: () => ({ type: 'test' }), update: { message: 'changed' } },
  AuditEntry: {
    data: () => ({ actorType: 'test', actorLabel: 'test', action: 'x', objectType: 'y' }),
    update: { actorLabel: 'changed' },
  },
  AgentRegistrationToken: {
    data: ({ clusterId }) => ({
      clusterId,
      prefix: 'flt_reg',
      tokenHash: unique('reg-hash'),
      expiresAt: new Date(Date.now() + 3_600_000),
    }),
    update: { usedAt: new Date() },
  },
  AgentCredential: {
    data: ({ clusterId }) => ({ clusterId, prefix: 'flt_agent', secretHash: unique('secret') }),
    update: { lastUsedAt: new Date() },
  },
  SyncWindow: {
    data: () => ({ name: unique('w'), kind: 'deny', schedule: '0 22 * * *', duration: '1h' }),
    update: { duration: '2h' },
  },
  DeploymentHistory: {
    data: ({ deploymentId }) => ({
      deploymentId,
      commit: unique('commit'),
      revisionHash: unique('h'),
      result: 'applied',
      trigger: 'commit',
    }),
    update: { error: 'changed' },
  },
  NotificationRule: {
    data: () => ({
      name: unique('n'),
      events: ['deployment.Offline'],
      destinationKind: 'webhook',
      destination: Buffer.from('sealed'),
      destinationHint: 'https://hooks.example',
    }),
    update: { windowSeconds: 30 },
  },
  NotificationDelivery: {
    data: ({ notificationRuleId }) => ({
      ruleId: notificationRuleId,
      kind: 'test',
      summary: unique('s'),
      payload: {},
    }),
    update: { status: 'delivered' },
  },
  GithubConnection: {
    data: ({ gitRepoId }) => ({
      gitRepoId,
      authKind: 'token',
      owner: 'acme',
      repo: 'fleet',
      credential: Buffer.from('sealed'),
    }),
    update: { baseUrl: 'https://ghe.example.com/api/v3' },
  },
  GithubCommitStatus: {
    data: ({ gitRepoId }) => ({
      gitRepoId,
      commit: unique('commit'),
      state: 'pending',
      description: 'rolling out',
    }),
    update: { lastError: 'changed' },
  },
  PullRequestPreview: {
    data: ({ gitRepoId }) => ({
      gitRepoId,
      number: (serial += 1),
      headSha: 'a'.repeat(40),
      baseSha: 'b'.repeat(40),
    }),
    update: { summary: 'changed' },
  },
};

describe('forWorkspace: one workspace per client, for every tenant model', () => {
  let database: TestDatabase;
  let db: Db;
  const workspaces = { a: '', b: '' };
  const parents = {} as Record<'a' | 'b', Parents>;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = database.db;
    for (const key of ['a', 'b'] as const) {
      const workspace = await db.workspace.create({ data: { name: `workspace-${key}` } });
      workspaces[key] = workspace.id;
      const user = await db.user.create({
        data: { email: `${key}@example.com`, passwordHash: 'x' },
      });
      const scoped = forWorkspace(db, workspace.id);
      const gitRepo = await scoped.gitRepo.create({
        data: { name: 'parent', url: 'https://git.example/p.git' } as never,
      });
      const cluster = await scoped.cluster.create({
        data: {
          name: 'parent',
          apiServerUrl: 'https://10.0.0.1',
          credentials: Buffer.from('x'),
          credentialKind: 'token',
        } as never,
      });
      const bundle = await scoped.bundle.create({
        data: { gitRepoId: gitRepo.id, name: 'parent', path: 'parent' } as never,
      });
      // The history's parent: a deployment on a cluster of its own (the BundleDeployment
      // fixture takes the (bundle, cluster) pair above).
      const historyCluster = await scoped.cluster.create({
        data: {
          name: 'history-parent',
          apiServerUrl: 'https://10.0.0.1',
          credentials: Buffer.from('x'),
          credentialKind: 'token',
        } as never,
      });
      const deployment = await scoped.bundleDeployment.create({
        data: { bundleId: bundle.id, clusterId: historyCluster.id } as never,
      });
      const notificationRule = await scoped.notificationRule.create({
        data: {
          name: 'parent',
          events: ['deployment.Offline'],
          destinationKind: 'webhook',
          destination: Buffer.from('x'),
          destinationHint: 'https://hooks.example',
        } as never,
      });
      parents[key] = {
        notificationRuleId: notificationRule.id,
        userId: user.id,
        gitRepoId: gitRepo.id,
        bundleId: bundle.id,
        clusterId: cluster.id,
        deploymentId: deployment.id,
      };
    }
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('has a fixture for every tenant model', () => {
    expect(Object.keys(FIXTURES).sort()).toEqual([...TENANT_MODELS].sort());
  });

  it.each(Object.keys(FIXTURES))(
    '%s: create gets the workspace; reads, updates, deletes and counts see only it',
    async (model) => {
      const fixture = FIXTURES[model]!;
      const scopedA = delegate(forWorkspace(db, workspaces.a), model);
      const scopedB = delegate(forWorkspace(db, workspaces.b), model);
      const raw = delegate(db, model);

      const mine = await scopedA.create({ data: fixture.data(parents.a) });
      const theirs = await scopedB.create({ data: fixture.data(parents.b) });
      expect(mine.workspaceId).toBe(workspaces.a);
      expect(theirs.workspaceId).toBe(workspaces.b);

      const visible = (await scopedA.findMany()).map(({ id }) => id);
      expect(visible).toContain(mine.id);
      expect(visible).not.toContain(theirs.id);
      expect(await scopedA.findMany({ where: { id: theirs.id } })).toEqual([]);
      expect(await scopedA.findFirst({ where: { id: theirs.id } })).toBeNull();
      expect(await scopedA.findUnique({ where: { id: theirs.id } })).toBeNull();
      expect(await scopedA.count({ where: { id: theirs.id } })).toBe(0);
      expect(await scopedA.count()).toBe(await raw.count({ where: { workspaceId: workspaces.a } }));
      // A where that names the other workspace outright is overridden, not obeyed.
      expect(await scopedA.findMany({ where: { workspaceId: workspaces.b } })).toEqual(
        await scopedA.findMany({ where: { workspaceId: workspaces.a } }),
      );

      await expect(
        scopedA.update({ where: { id: theirs.id }, data: fixture.update }),
      ).rejects.toThrow();
      expect(await scopedA.updateMany({ where: { id: theirs.id }, data: fixture.update })).toEqual({
        count: 0,
      });
      await expect(scopedA.delete({ where: { id: theirs.id } })).rejects.toThrow();
      expect(await scopedA.deleteMany({ where: { id: theirs.id } })).toEqual({ count: 0 });
      await expect(
        scopedA.create({ data: { ...fixture.data(parents.a), workspaceId: workspaces.b } }),
      ).rejects.toThrow(/refused: a \w+ of another workspace/);
      await expect(
        scopedA.create({
          data: { ...fixture.data(parents.a), workspace: { connect: { id: workspaces.b } } },
        }),
      ).rejects.toThrow(/refused: set \w+\.workspaceId through the scoped client/);

      // The other workspace's row is untouched; the own one can be changed and removed.
      expect(await raw.findUnique({ where: { id: theirs.id } })).toMatchObject({
        id: theirs.id,
        workspaceId: workspaces.b,
      });
      await scopedA.update({ where: { id: mine.id }, data: fixture.update });
      await scopedA.delete({ where: { id: mine.id } });
      expect(await raw.findUnique({ where: { id: mine.id } })).toBeNull();
    },
  );
});
