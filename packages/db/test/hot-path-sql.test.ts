import { createTestDatabase, type TestDatabase } from '@flotilla/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  insertEvents,
  readAppliedDeploymentsOfCluster,
  readBundleSettings,
  readBundlesWithDependsOn,
  readClusterRow,
  readDeploymentsWithTargets,
  readEnabledNotificationRules,
  writeDeploymentStatusesAt,
  writeDeploymentPlans,
  carryDeploymentsToCommit,
  executeSql,
  Prisma,
  writeDeploymentStates,
  type EventRow,
} from '../src/index.ts';

/*
 * The deploy path's raw SQL must read and write exactly what Prisma's own calls do: the same
 * typed values (dates, JSON, bytes, enums, arrays), so the code above cannot tell them apart.
 */
describe('the deploy path through raw SQL', () => {
  let database: TestDatabase;
  let workspaceId: string;
  const deploymentIds: string[] = [];
  let clusterId = '';
  let bundleId = '';

  beforeAll(async () => {
    database = await createTestDatabase();
    const { db } = database;
    workspaceId = (await db.workspace.create({ data: { name: 'hot-path' } })).id;
    const gitRepo = await db.gitRepo.create({
      data: { workspaceId, name: 'r', url: 'https://git.example/r.git' },
    });
    for (const index of [0, 1]) {
      const bundle = await db.bundle.create({
        data: {
          workspaceId,
          gitRepoId: gitRepo.id,
          name: `b${index}`,
          path: `b${index}`,
          options: { namespace: 'apps', helm: { values: { replicas: index + 1 } } },
          targets: [{ clusterSelector: { matchLabels: { env: 'prod' } } }],
          pinnedAt: new Date(Date.UTC(2026, 5, 1, 12, 30, 15, 123)),
        },
      });
      bundleId = bundle.id;
      const cluster = await db.cluster.create({
        data: {
          workspaceId,
          name: `c${index}`,
          labels: { env: 'prod', region: `r${index}` },
          apiServerUrl: 'https://10.0.0.1:6443',
          caData: 'LS0tLS1CRUdJTi',
          credentials: Buffer.from([0, 1, 2, 250, 255]),
          credentialKind: 'token',
          connectivity: 'Online',
          apiVersions: ['v1', 'apps/v1'],
          lastSeenAt: new Date(Date.UTC(2026, 11, 6, 23, 59, 59, 999)),
        },
      });
      clusterId = cluster.id;
      const deployment = await db.bundleDeployment.create({
        data: {
          workspaceId,
          bundleId: bundle.id,
          clusterId: cluster.id,
          state: 'Modified',
          message: 'drifted: ConfigMap apps/settings',
          counts: { ready: 1, modified: 1 },
          resources: [
            { kind: 'ConfigMap', name: 'settings', namespace: 'apps', state: 'Modified' },
          ],
          inventory: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'settings', namespace: 'apps' }],
          desiredHash: 'abc',
          appliedHash: 'abc',
          lastAppliedAt: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6)),
        },
      });
      deploymentIds.push(deployment.id);
    }
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('reads deployments with their cluster and bundle exactly as findMany with include does', async () => {
    const byPrisma = await database.db.bundleDeployment.findMany({
      where: { id: { in: deploymentIds } },
      include: { cluster: true, bundle: true },
      orderBy: { id: 'asc' },
    });
    const byRaw = await readDeploymentsWithTargets(database.db, [
      ...deploymentIds,
      deploymentIds[0]!,
      'no-such-deployment',
    ]);
    byRaw.sort((a, b) => a.id.localeCompare(b.id));
    expect(byRaw).toHaveLength(2);
    expect(byRaw).toStrictEqual(byPrisma);
    expect(byRaw[0]!.cluster.credentials).toEqual(new Uint8Array([0, 1, 2, 250, 255]));
    expect(byRaw[0]!.lastAppliedAt?.toISOString()).toBe('2026-01-02T03:04:05.006Z');
    expect(await readDeploymentsWithTargets(database.db, [])).toEqual([]);
  });

  it("reads a cluster's applied deployments exactly as findMany does, leaving out orphaned and unapplied ones", async () => {
    const { db } = database;
    const deployment = await db.bundleDeployment.findUniqueOrThrow({
      where: { id: deploymentIds.at(-1)! },
    });
    const others = await db.bundle.findMany({ where: { workspaceId }, orderBy: { name: 'asc' } });
    // On the same cluster: one orphaned, one never applied. Neither is the monitor's.
    await db.bundleDeployment.create({
      data: {
        workspaceId,
        bundleId: others[0]!.id === bundleId ? others[1]!.id : others[0]!.id,
        clusterId,
        isOrphaned: true,
        appliedHash: 'abc',
      },
    });
    const extra = await db.bundle.create({
      data: { workspaceId, gitRepoId: others[0]!.gitRepoId, name: 'b-unapplied', path: 'u' },
    });
    await db.bundleDeployment.create({ data: { workspaceId, bundleId: extra.id, clusterId } });

    const byPrisma = await db.bundleDeployment.findMany({
      where: { clusterId, isOrphaned: false, appliedHash: { not: null } },
      orderBy: { id: 'asc' },
    });
    const byRaw = await readAppliedDeploymentsOfCluster(db, clusterId);
    expect(byRaw.map((row) => row.id)).toEqual([deployment.id]);
    expect(byRaw).toStrictEqual(byPrisma);
    expect(await readAppliedDeploymentsOfCluster(db, 'no-such-cluster')).toEqual([]);
  });

  it('reads the same dates whatever time zone the process is in', async () => {
    const { db } = database;
    const inUtc = await readDeploymentsWithTargets(db, deploymentIds);
    const zone = process.env.TZ;
    // Five and a half hours east: a timestamp read as local time would be off by that much.
    process.env.TZ = 'Asia/Kolkata';
    try {
      expect(new Date(Date.UTC(2026, 0, 1)).getTimezoneOffset()).toBe(-330);
      const inKolkata = await readDeploymentsWithTargets(db, deploymentIds);
      expect(inKolkata).toStrictEqual(inUtc);
      expect(inKolkata[0]!.cluster.lastSeenAt?.toISOString()).toBe('2026-12-06T23:59:59.999Z');
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it('reads a cluster, bundle settings and notification rules as Prisma does', async () => {
    const { db } = database;
    expect(await readClusterRow(db, clusterId)).toStrictEqual(
      await db.cluster.findUnique({ where: { id: clusterId } }),
    );
    expect(await readClusterRow(db, 'no-such-cluster')).toBeUndefined();

    const bundles = await db.bundle.findMany({
      where: { workspaceId },
      select: { id: true, paused: true, options: true },
      orderBy: { id: 'asc' },
    });
    const settings = await readBundleSettings(db, [...bundles.map((row) => row.id), 'gone']);
    expect(settings.sort((a, b) => a.id.localeCompare(b.id))).toStrictEqual(bundles);
    expect(await readBundleSettings(db, [])).toEqual([]);

    // dependsOn: only bundles whose list is not empty; presentOnly and exceptId narrow it.
    const repo = await db.gitRepo.findFirstOrThrow({ where: { workspaceId } });
    const dependent = async (name: string, dependsOn: unknown, isPresent = true) =>
      (
        await db.bundle.create({
          data: {
            workspaceId,
            gitRepoId: repo.id,
            name,
            path: name,
            isPresent,
            options: { dependsOn } as Prisma.InputJsonValue,
          },
        })
      ).id;
    const waits = await dependent('waits', [{ name: 'b0' }]);
    const gone = await dependent('waits-gone', [{ name: 'b0' }], false);
    await dependent('waits-for-nothing', []);
    const ids = async (options?: Parameters<typeof readBundlesWithDependsOn>[2]) =>
      (await readBundlesWithDependsOn(db, workspaceId, options)).map((row) => row.id).sort();
    expect(await ids()).toEqual([waits, gone].sort());
    expect(await ids({ presentOnly: true })).toEqual([waits]);
    expect(await ids({ presentOnly: true, exceptId: waits })).toEqual([]);
    expect(await readBundlesWithDependsOn(db, 'other-workspace')).toEqual([]);

    const destination = {
      destination: Buffer.from('sealed'),
      destinationKind: 'webhook',
      destinationHint: 'https://hooks.example',
    } as const;
    const rule = await db.notificationRule.create({
      data: {
        workspaceId,
        name: 'on',
        events: ['deployment.ErrApplied'],
        windowSeconds: 30,
        ...destination,
      },
    });
    await db.notificationRule.create({
      data: {
        workspaceId,
        name: 'off',
        events: ['deployment.Modified'],
        isEnabled: false,
        ...destination,
      },
    });
    expect(await readEnabledNotificationRules(db, [workspaceId, 'other'])).toStrictEqual([
      { id: rule.id, workspaceId, events: ['deployment.ErrApplied'], windowSeconds: 30 },
    ]);
  });

  it('writes a checked status only while the row holds the revision that was checked', async () => {
    const { db } = database;
    const id = deploymentIds[0]!;
    const before = await db.bundleDeployment.findUniqueOrThrow({ where: { id } });
    const status = (state: 'Ready' | 'NotReady', appliedHash: string) => ({
      id,
      state,
      message: `${state} from a check`,
      counts: { ready: 1 },
      resources: [],
      stateChangedAt: new Date(),
      checkedAt: new Date(),
      appliedHash,
    });
    // A deploy applied another revision since the check read the row: nothing is written.
    expect(await writeDeploymentStatusesAt(db, [status('NotReady', 'older-revision')])).toEqual([]);
    expect((await db.bundleDeployment.findUniqueOrThrow({ where: { id } })).state).toBe(
      before.state,
    );
    expect(await writeDeploymentStatusesAt(db, [status('Ready', before.appliedHash!)])).toEqual([
      id,
    ]);
    const after = await db.bundleDeployment.findUniqueOrThrow({ where: { id } });
    expect([after.state, after.message]).toEqual(['Ready', 'Ready from a check']);
    expect(await writeDeploymentStatusesAt(db, [])).toEqual([]);
  });

  it("writes a plan's row only while the row holds the state and revisions the plan read", async () => {
    const { db } = database;
    const id = deploymentIds[1]!;
    const before = await db.bundleDeployment.findUniqueOrThrow({ where: { id } });
    const plan = (read: {
      state: typeof before.state;
      appliedHash: string | null;
      targetCommit?: string;
    }) => ({
      id,
      customization: before.customization,
      targetHash: 'next-revision',
      targetCommit: 'c'.repeat(40),
      desiredHash: 'next-revision',
      desiredCommit: 'c'.repeat(40),
      state: 'WaitApplied' as const,
      message: 'deploying',
      isOrphaned: false,
      stateChangedAt: new Date(),
      lastEnqueuedAt: new Date(),
      read: {
        desiredHash: before.desiredHash,
        targetCommit: before.targetCommit,
        ...read,
      },
    });
    // Something wrote the row since the plan read it (another state, another applied revision).
    const otherState = before.state === 'Ready' ? 'OutOfSync' : 'Ready';
    expect(
      await writeDeploymentPlans(db, [
        plan({ state: otherState, appliedHash: before.appliedHash }),
      ]),
    ).toEqual([]);
    expect(
      await writeDeploymentPlans(db, [plan({ state: before.state, appliedHash: 'other' })]),
    ).toEqual([]);
    // A newer commit's plan, or its render's carry, moved the row to another commit.
    expect(
      await writeDeploymentPlans(db, [
        plan({
          state: before.state,
          appliedHash: before.appliedHash,
          targetCommit: 'd'.repeat(40),
        }),
      ]),
    ).toEqual([]);
    const untouched = await db.bundleDeployment.findUniqueOrThrow({ where: { id } });
    expect(untouched).toStrictEqual(before);
    // The row as read: written.
    expect(
      await writeDeploymentPlans(db, [
        plan({ state: before.state, appliedHash: before.appliedHash }),
      ]),
    ).toEqual([id]);
    const after = await db.bundleDeployment.findUniqueOrThrow({ where: { id } });
    expect(after).toMatchObject({
      state: 'WaitApplied',
      message: 'deploying',
      desiredHash: 'next-revision',
    });
    expect(await writeDeploymentPlans(db, [])).toEqual([]);
  });

  it("carries a bundle's settled deployments to a commit that renders the same revisions, and only those", async () => {
    const { db } = database;
    const [from, to] = ['e'.repeat(40), 'f'.repeat(40)];
    const gitRepo = await db.gitRepo.findFirstOrThrow({ where: { workspaceId } });
    const bundle = await db.bundle.create({
      data: { workspaceId, gitRepoId: gitRepo.id, name: 'carried', path: 'carried', commit: to },
    });
    const clusters = await db.cluster.findMany({
      where: { workspaceId },
      orderBy: { name: 'asc' },
    });
    const row = (
      clusterIndex: number,
      data: Partial<Prisma.BundleDeploymentUncheckedCreateInput>,
    ) =>
      db.bundleDeployment.create({
        data: {
          workspaceId,
          bundleId: bundle.id,
          clusterId: clusters[clusterIndex]!.id,
          targetHash: 'same',
          targetCommit: from,
          desiredHash: 'same',
          desiredCommit: from,
          appliedHash: 'same',
          state: 'Ready',
          message: 'ready since Monday',
          ...data,
        },
      });
    const settled = await row(0, {});
    // Still deploying its revision: a plan decides what comes next for it.
    const deploying = await row(1, { appliedHash: 'older', state: 'WaitApplied' });
    const before = await db.bundleDeployment.findUniqueOrThrow({ where: { id: deploying.id } });

    expect(await carryDeploymentsToCommit(db, { bundleId: bundle.id, from, to })).toEqual({
      carried: 1,
      left: 1,
    });
    const after = await db.bundleDeployment.findUniqueOrThrow({ where: { id: settled.id } });
    expect(after).toMatchObject({
      targetCommit: to,
      desiredCommit: to,
      targetHash: 'same',
      state: 'Ready',
      message: 'ready since Monday',
      stateChangedAt: settled.stateChangedAt,
    });
    expect(
      await db.bundleDeployment.findUniqueOrThrow({ where: { id: deploying.id } }),
    ).toStrictEqual(before);
    // Once the other is planned, nothing is left; carrying again moves nothing.
    await db.bundleDeployment.update({
      where: { id: deploying.id },
      data: { targetCommit: to, desiredCommit: to },
    });
    expect(await carryDeploymentsToCommit(db, { bundleId: bundle.id, from, to })).toEqual({
      carried: 0,
      left: 0,
    });
  });

  it('inserts events that Prisma reads back as written, transitions and plain events alike', async () => {
    const at = new Date(Date.UTC(2026, 11, 7, 5, 6, 7, 89));
    const rows: EventRow[] = [
      {
        id: 'event-transition',
        workspaceId,
        at,
        type: 'StateChanged',
        clusterId,
        bundleId,
        deploymentId: deploymentIds[1]!,
        fromState: 'Ready',
        toState: 'WaitApplied',
        message: 'deploying \'abc\' — ünïcode and a "quote"',
      },
      {
        id: 'event-action',
        workspaceId,
        at,
        type: 'DriftCorrected',
        clusterId: null,
        bundleId: null,
        deploymentId: null,
        fromState: null,
        toState: null,
        message: '',
      },
    ];
    expect(await insertEvents(database.db, rows)).toBe(2);
    expect(await insertEvents(database.db, [])).toBe(0);
    const stored = await database.db.event.findMany({
      where: { id: { in: rows.map((row) => row.id) } },
      orderBy: { id: 'desc' },
    });
    expect(stored).toStrictEqual(rows);
  });

  it('writes through the driver, and inside a transaction through it, so a rollback undoes it', async () => {
    const { db } = database;
    const id = deploymentIds[0]!;
    const at = new Date(Date.UTC(2026, 11, 7, 13, 0, 0, 250));
    expect(
      await writeDeploymentStates(db, [
        { id, state: 'Ready', message: 'Ready', stateChangedAt: at },
      ]),
    ).toBe(1);
    await expect(
      db.$transaction(async (tx) => {
        const update = Prisma.sql`UPDATE "BundleDeployment" SET message = ${'inside'} WHERE id = ${id}`;
        expect(await executeSql(tx, update)).toBe(1);
        const seen = await tx.bundleDeployment.findUniqueOrThrow({ where: { id } });
        expect(seen.message).toBe('inside');
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    const row = await db.bundleDeployment.findUniqueOrThrow({ where: { id } });
    expect([row.state, row.message, row.stateChangedAt?.toISOString()]).toEqual([
      'Ready',
      'Ready',
      '2026-12-07T13:00:00.250Z',
    ]);
  });
});
