import { createTestDatabase, type TestDatabase } from '@flotilla/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDeploymentHistory, type DeploymentHistoryRow } from '../src/index.ts';

describe('writeDeploymentHistory: appends applies and keeps the newest N per deployment', () => {
  let database: TestDatabase;
  let workspaceId: string;
  const deploymentIds: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    const { db } = database;
    workspaceId = (await db.workspace.create({ data: { name: 'history' } })).id;
    const gitRepo = await db.gitRepo.create({
      data: { workspaceId, name: 'r', url: 'https://git.example/r.git' },
    });
    const bundle = await db.bundle.create({
      data: { workspaceId, gitRepoId: gitRepo.id, name: 'b', path: 'b' },
    });
    for (const name of ['one', 'two']) {
      const cluster = await db.cluster.create({
        data: {
          workspaceId,
          name,
          apiServerUrl: 'https://10.0.0.1',
          credentials: Buffer.from('x'),
          credentialKind: 'token',
        },
      });
      const deployment = await db.bundleDeployment.create({
        data: { workspaceId, bundleId: bundle.id, clusterId: cluster.id },
      });
      deploymentIds.push(deployment.id);
    }
  });

  afterAll(async () => {
    await database?.drop();
  });

  const entry = (deploymentId: string, index: number): DeploymentHistoryRow => ({
    id: `h-${deploymentId}-${index}`,
    workspaceId,
    deploymentId,
    commit: `commit-${index}`,
    revisionHash: `hash-${index}`,
    customization: '',
    result: index % 2 === 0 ? 'applied' : 'failed',
    error: index % 2 === 0 ? '' : 'boom',
    trigger: 'commit',
    at: new Date(Date.UTC(2026, 0, 1, 0, index)),
  });

  it('trims each deployment written to its newest entries, leaving the other deployments alone', async () => {
    const [one, two] = deploymentIds as [string, string];
    await writeDeploymentHistory(database.db, [entry(two, 1), entry(two, 2)], 3);
    // Five entries of `one` written in two batches, with a limit of three.
    await writeDeploymentHistory(database.db, [entry(one, 1), entry(one, 2), entry(one, 3)], 3);
    await writeDeploymentHistory(database.db, [entry(one, 4), entry(one, 5)], 3);

    const commitsOf = async (deploymentId: string) =>
      (
        await database.db.deploymentHistory.findMany({
          where: { deploymentId },
          orderBy: { at: 'desc' },
        })
      ).map((row) => row.commit);
    expect(await commitsOf(one)).toEqual(['commit-5', 'commit-4', 'commit-3']);
    expect(await commitsOf(two)).toEqual(['commit-2', 'commit-1']);

    // An entry of a deployment deleted meanwhile is dropped; the rest of its batch is written.
    await writeDeploymentHistory(database.db, [entry('deleted-deployment', 6), entry(two, 6)], 3);
    expect(await commitsOf(two)).toEqual(['commit-6', 'commit-2', 'commit-1']);
    expect(await commitsOf('deleted-deployment')).toEqual([]);
    const latest = await database.db.deploymentHistory.findUniqueOrThrow({
      where: { id: entry(two, 6).id },
    });
    expect(latest).toMatchObject({ at: entry(two, 6).at, result: 'applied', trigger: 'commit' });
  });
});
