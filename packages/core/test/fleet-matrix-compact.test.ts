import {
  foldFleetMatrixChanges,
  touchDeploymentsChecked,
  writeDeploymentStatuses,
  type Db,
} from '@flotilla/db';
import { DEPLOYMENT_STATES, type DeploymentState } from '@flotilla/engine';
import { createTestDatabase, type TestDatabase } from '@flotilla/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../src/auth/principal.ts';
import {
  getCompactFleetMatrix,
  getFleetMatrix,
  MATRIX_NO_CELL,
  type CompactFleetMatrix,
} from '../src/index.ts';

/** A workspace with `clusters` x `bundles` deployments in varied states, one cell left empty. */
async function seedFleet(db: Db, name: string, clusters: number, bundles: number) {
  const workspace = await db.workspace.create({ data: { name } });
  const repo = await db.gitRepo.create({
    data: { workspaceId: workspace.id, name: `${name}-repo`, url: 'https://git.example/r.git' },
  });
  const clusterRows = await Promise.all(
    Array.from({ length: clusters }, (_, index) =>
      db.cluster.create({
        data: {
          workspaceId: workspace.id,
          name: `${name}-c${String(index).padStart(2, '0')}`,
          labels: { env: index % 2 === 0 ? 'prod' : 'dev' },
          apiServerUrl: 'https://127.0.0.1:6443',
          credentials: Buffer.from('sealed'),
          credentialKind: 'token',
        },
      }),
    ),
  );
  const bundleRows = await Promise.all(
    Array.from({ length: bundles }, (_, index) =>
      db.bundle.create({
        data: {
          workspaceId: workspace.id,
          gitRepoId: repo.id,
          name: `${name}-b${String(index).padStart(2, '0')}`,
          path: `b${index}`,
        },
      }),
    ),
  );
  const data = clusterRows.flatMap((cluster, c) =>
    bundleRows.map((bundle, b) => ({
      workspaceId: workspace.id,
      clusterId: cluster.id,
      bundleId: bundle.id,
      state: DEPLOYMENT_STATES[(c * bundles + b) % DEPLOYMENT_STATES.length] as DeploymentState,
      // An orphaned deployment is not a cell of the matrix, in either form.
      isOrphaned: c === 1 && b === 1,
    })),
  );
  // The last cluster has no deployment of the first bundle: an empty cell.
  await db.bundleDeployment.createMany({ data: data.slice(1 * bundles) });
  await db.bundleDeployment.createMany({ data: data.slice(0, 1 * bundles) });
  await db.bundleDeployment.deleteMany({
    where: { clusterId: clusterRows.at(-1)?.id ?? '', bundleId: bundleRows[0]?.id ?? '' },
  });
  const principal: Principal = {
    kind: 'user',
    id: `${name}-user`,
    label: `${name}@example.test`,
    workspaceId: workspace.id,
    role: 'viewer',
  };
  return { workspace, principal, clusterRows, bundleRows };
}

async function compact(
  db: Db,
  principal: Principal,
  options: { selector?: string; bundle?: string } = {},
) {
  const result = await getCompactFleetMatrix({ ctx: { db }, principal, ...options });
  if (result.notModified) throw new Error('expected a body, got "not modified"');
  return result;
}

/** The compact form's cells as the full form lists them: "clusterId/bundleId" -> state. */
function cellsOf(matrix: CompactFleetMatrix): Map<string, DeploymentState> {
  const cells = new Map<string, DeploymentState>();
  matrix.clusters.forEach((cluster, row) => {
    const letters = matrix.rows[row] ?? '';
    expect(letters).toHaveLength(matrix.bundles.length);
    matrix.bundles.forEach((bundle, column) => {
      const state = matrix.legend[letters[column] ?? ''];
      expect(state).not.toBeUndefined();
      if (state) cells.set(`${cluster.id}/${bundle.id}`, state);
    });
  });
  return cells;
}

describe('GET /api/v1/fleet/matrix?format=compact (getCompactFleetMatrix)', () => {
  let database: TestDatabase;
  let db: Db;
  let fleet: Awaited<ReturnType<typeof seedFleet>>;
  let other: Awaited<ReturnType<typeof seedFleet>>;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = database.db;
    fleet = await seedFleet(db, 'alpha', 6, 5);
    other = await seedFleet(db, 'beta', 3, 2);
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('shows the same cells, rows, columns and summary as the full form', async () => {
    for (const filters of [{}, { selector: 'env=prod' }, { bundle: 'alpha-b0' }]) {
      const full = await getFleetMatrix({ ctx: { db }, principal: fleet.principal, ...filters });
      const { matrix } = await compact(db, fleet.principal, filters);
      expect(matrix.clusters.map((cluster) => cluster.id)).toEqual(
        full.clusters.map((cluster) => cluster.id),
      );
      expect(matrix.bundles.map((bundle) => bundle.id)).toEqual(
        full.bundles.map((bundle) => bundle.id),
      );
      expect(cellsOf(matrix)).toEqual(
        new Map(full.cells.map((cell) => [`${cell.clusterId}/${cell.bundleId}`, cell.state])),
      );
      expect(matrix.summary).toEqual(full.summary);
      for (const bundle of matrix.bundles) {
        const expected = Object.fromEntries(DEPLOYMENT_STATES.map((state) => [state, 0]));
        for (const cell of full.cells.filter((entry) => entry.bundleId === bundle.id)) {
          expected[cell.state] = (expected[cell.state] ?? 0) + 1;
        }
        expect(bundle.summary).toEqual(expected);
      }
    }
    const { matrix } = await compact(db, fleet.principal);
    // The empty cell (no deployment) and the orphaned one are both "no cell".
    expect(matrix.rows.at(-1)?.[0]).toBe(MATRIX_NO_CELL);
    expect(matrix.rows[1]?.[1]).toBe(MATRIX_NO_CELL);
    expect(matrix.legend[MATRIX_NO_CELL]).toBeNull();
  });

  it('answers "not modified" for the current ETag, also in a list or weak, and not for another', async () => {
    const first = await compact(db, fleet.principal);
    expect(first.etag).toMatch(/^"fm1-[A-Za-z0-9_-]+"$/);
    for (const header of [first.etag, `W/${first.etag}`, `"other", ${first.etag}`, '*']) {
      expect(
        await getCompactFleetMatrix({
          ctx: { db },
          principal: fleet.principal,
          ifNoneMatch: header,
        }),
      ).toEqual({ etag: first.etag, notModified: true });
    }
    const stale = await getCompactFleetMatrix({
      ctx: { db },
      principal: fleet.principal,
      ifNoneMatch: '"fm1-stale"',
    });
    expect(stale.notModified).toBe(false);
    // Other filters are another answer, under another tag.
    expect((await compact(db, fleet.principal, { selector: 'env=prod' })).etag).not.toBe(
      first.etag,
    );
  });

  it('gives a new ETag after every state change, whichever way it is written', async () => {
    const target = await db.bundleDeployment.findFirstOrThrow({
      where: { workspaceId: fleet.workspace.id, isOrphaned: false },
      orderBy: { id: 'asc' },
    });
    const seen = new Set<string>();
    const etagNow = async () => (await compact(db, fleet.principal)).etag;
    seen.add(await etagNow());

    // A multi-row raw write (the worker's path).
    const next: DeploymentState = target.state === 'Ready' ? 'NotReady' : 'Ready';
    await writeDeploymentStatuses(db, [
      {
        id: target.id,
        state: next,
        message: 'changed',
        counts: {},
        resources: [],
        stateChangedAt: new Date(),
        checkedAt: new Date(),
      },
    ]);
    const afterRaw = await etagNow();
    expect(seen.has(afterRaw)).toBe(false);
    seen.add(afterRaw);
    const { matrix } = await compact(db, fleet.principal);
    expect(cellsOf(matrix).get(`${target.clusterId}/${target.bundleId}`)).toBe(next);

    // A write that changes nothing the matrix shows keeps the tag (and the clients' copies).
    await touchDeploymentsChecked(db, [target.id], new Date());
    await db.bundleDeployment.update({ where: { id: target.id }, data: { message: 'again' } });
    expect(await etagNow()).toBe(afterRaw);

    // A Prisma update, back and forth: the tag never comes back to an older one.
    for (const state of [target.state, next, target.state] as DeploymentState[]) {
      await db.bundleDeployment.update({ where: { id: target.id }, data: { state } });
      const etag = await etagNow();
      expect(seen.has(etag)).toBe(false);
      seen.add(etag);
    }

    // Orphaned, deleted, created: each changes the tag.
    await db.bundleDeployment.update({ where: { id: target.id }, data: { isOrphaned: true } });
    const orphaned = await etagNow();
    expect(seen.has(orphaned)).toBe(false);
    seen.add(orphaned);
    await db.bundleDeployment.delete({ where: { id: target.id } });
    const deleted = await etagNow();
    expect(seen.has(deleted)).toBe(false);
    seen.add(deleted);
    await db.bundleDeployment.create({
      data: {
        workspaceId: target.workspaceId,
        clusterId: target.clusterId,
        bundleId: target.bundleId,
        state: target.state,
      },
    });
    const created = await etagNow();
    expect(seen.has(created)).toBe(false);
    seen.add(created);

    // A renamed cluster (a row's heading) changes it too.
    await db.cluster.update({ where: { id: target.clusterId }, data: { name: 'alpha-renamed' } });
    expect(seen.has(await etagNow())).toBe(false);
  });

  it('gives a new ETag when a row or column changes what it shows, and keeps it for a probe', async () => {
    const seen = new Set<string>();
    let current = (await compact(db, fleet.principal)).etag;
    seen.add(current);
    /** The tag after `change`, checked new and, in the answer, `shows` true. */
    async function expectNewTag(
      what: string,
      change: () => Promise<unknown>,
      shows: (matrix: CompactFleetMatrix) => boolean,
    ) {
      await change();
      const { etag, matrix } = await compact(db, fleet.principal);
      expect(seen.has(etag), what).toBe(false);
      expect(shows(matrix), what).toBe(true);
      // The client that sent the tag it had gets the whole answer, not a 304.
      const stale = await getCompactFleetMatrix({
        ctx: { db },
        principal: fleet.principal,
        ifNoneMatch: current,
      });
      expect(stale.notModified, what).toBe(false);
      seen.add(etag);
      current = etag;
    }
    const [cluster] = fleet.clusterRows;
    const [bundle] = fleet.bundleRows;
    if (!cluster || !bundle) throw new Error('seedFleet made no cluster or bundle');
    const rowOf = (matrix: CompactFleetMatrix) =>
      matrix.clusters.find((entry) => entry.id === cluster.id);
    const columnOf = (matrix: CompactFleetMatrix) =>
      matrix.bundles.find((entry) => entry.id === bundle.id);

    // What a probe writes when nothing the matrix shows changed: the tag stays.
    await db.cluster.update({
      where: { id: cluster.id },
      data: { lastSeenAt: new Date(), connectivityMessage: 'probed' },
    });
    expect((await compact(db, fleet.principal)).etag).toBe(current);

    await expectNewTag(
      'labels',
      () => db.cluster.update({ where: { id: cluster.id }, data: { labels: { env: 'staging' } } }),
      (matrix) => rowOf(matrix)?.labels.env === 'staging',
    );
    await expectNewTag(
      'connectivity',
      () => db.cluster.update({ where: { id: cluster.id }, data: { connectivity: 'Offline' } }),
      (matrix) => rowOf(matrix)?.connectivity === 'Offline',
    );
    await expectNewTag(
      'simulated',
      () => db.cluster.update({ where: { id: cluster.id }, data: { isSimulated: true } }),
      (matrix) => rowOf(matrix)?.isSimulated === true,
    );
    await expectNewTag(
      'paused',
      () => db.bundle.update({ where: { id: bundle.id }, data: { paused: true } }),
      (matrix) => columnOf(matrix)?.isPaused === true,
    );
    await expectNewTag(
      'render error',
      () => db.bundle.update({ where: { id: bundle.id }, data: { renderError: 'bad chart' } }),
      (matrix) => columnOf(matrix)?.renderError === 'bad chart',
    );
    await expectNewTag(
      'bundle renamed',
      () => db.bundle.update({ where: { id: bundle.id }, data: { name: 'alpha-b00-renamed' } }),
      (matrix) => columnOf(matrix)?.name === 'alpha-b00-renamed',
    );
    await expectNewTag(
      'repository renamed',
      () => db.gitRepo.update({ where: { id: bundle.gitRepoId }, data: { name: 'alpha-repo-2' } }),
      (matrix) => columnOf(matrix)?.gitRepoName === 'alpha-repo-2',
    );
    await expectNewTag(
      'bundle gone from its repository',
      () => db.bundle.update({ where: { id: bundle.id }, data: { isPresent: false } }),
      (matrix) => columnOf(matrix) === undefined,
    );
    await expectNewTag(
      'bundle back',
      () => db.bundle.update({ where: { id: bundle.id }, data: { isPresent: true } }),
      (matrix) => columnOf(matrix) !== undefined,
    );
    const added = await db.cluster.create({
      data: {
        workspaceId: fleet.workspace.id,
        name: 'alpha-added',
        apiServerUrl: 'https://127.0.0.1:6443',
        credentials: Buffer.from('sealed'),
        credentialKind: 'token',
      },
    });
    const afterAdd = (await compact(db, fleet.principal)).etag;
    expect(seen.has(afterAdd)).toBe(false);
    seen.add(afterAdd);
    current = afterAdd;
    await expectNewTag(
      'cluster deleted',
      () => db.cluster.delete({ where: { id: added.id } }),
      (matrix) => matrix.clusters.every((entry) => entry.id !== added.id),
    );
    const repo = await db.gitRepo.create({
      data: {
        workspaceId: fleet.workspace.id,
        name: 'alpha-extra',
        url: 'https://git.example/x.git',
      },
    });
    await expectNewTag(
      'bundle created',
      () =>
        db.bundle.create({
          data: {
            workspaceId: fleet.workspace.id,
            gitRepoId: repo.id,
            name: 'alpha-extra-b',
            path: 'x',
          },
        }),
      (matrix) => matrix.bundles.some((entry) => entry.name === 'alpha-extra-b'),
    );
    await expectNewTag(
      'repository deleted',
      () => db.gitRepo.update({ where: { id: repo.id }, data: { deletedAt: new Date() } }),
      (matrix) => matrix.bundles.every((entry) => entry.name !== 'alpha-extra-b'),
    );
    // Another workspace's clusters and bundles leave this one's tag as it was.
    await db.cluster.updateMany({
      where: { workspaceId: other.workspace.id },
      data: { labels: { env: 'moved' } },
    });
    expect((await compact(db, fleet.principal)).etag).toBe(current);
  });

  it('moves the tags of every workspace a transaction changed, and of none when it rolls back', async () => {
    const before = [
      (await compact(db, fleet.principal)).etag,
      (await compact(db, other.principal)).etag,
    ];
    const toggle = (state: DeploymentState): DeploymentState =>
      state === 'Ready' ? 'NotReady' : 'Ready';
    const alpha = await db.bundleDeployment.findFirstOrThrow({
      where: { workspaceId: fleet.workspace.id, isOrphaned: false },
    });
    const beta = await db.bundleDeployment.findFirstOrThrow({
      where: { workspaceId: other.workspace.id, isOrphaned: false },
    });
    await expect(
      db.$transaction(async (tx) => {
        await tx.bundleDeployment.update({
          where: { id: alpha.id },
          data: { state: toggle(alpha.state) },
        });
        throw new Error('rolled back on purpose');
      }),
    ).rejects.toThrow('rolled back on purpose');
    expect((await compact(db, fleet.principal)).etag).toBe(before[0]);

    await db.$transaction(async (tx) => {
      await tx.bundleDeployment.update({
        where: { id: alpha.id },
        data: { state: toggle(alpha.state) },
      });
      await tx.bundleDeployment.update({
        where: { id: beta.id },
        data: { state: toggle(beta.state) },
      });
      await tx.bundleDeployment.update({ where: { id: alpha.id }, data: { state: alpha.state } });
      await tx.bundleDeployment.update({
        where: { id: alpha.id },
        data: { state: toggle(alpha.state) },
      });
    });
    expect((await compact(db, fleet.principal)).etag).not.toBe(before[0]);
    expect((await compact(db, other.principal)).etag).not.toBe(before[1]);
  });

  it('keeps the ETag when old change records are folded, and moves on after', async () => {
    for (let index = 0; index < 70; index += 1) {
      await db.bundleDeployment.updateMany({
        where: { workspaceId: fleet.workspace.id, isOrphaned: false },
        data: { state: index % 2 === 0 ? 'Pending' : 'Ready' },
      });
    }
    const before = await compact(db, fleet.principal);
    await foldFleetMatrixChanges(db, fleet.workspace.id);
    expect(
      await db.$queryRaw<{ count: number }[]>`
        SELECT count(*)::int AS count FROM "FleetMatrixChange" WHERE "workspaceId" = ${fleet.workspace.id}`,
    ).toEqual([{ count: 1 }]);
    expect((await compact(db, fleet.principal)).etag).toBe(before.etag);
    await db.bundleDeployment.updateMany({
      where: { workspaceId: fleet.workspace.id, isOrphaned: false },
      data: { state: 'Modified' },
    });
    expect((await compact(db, fleet.principal)).etag).not.toBe(before.etag);
  });

  it('keeps workspaces apart: cells, and tags that other workspaces do not move', async () => {
    const { matrix, etag } = await compact(db, other.principal);
    const ids = new Set(other.clusterRows.map((cluster) => cluster.id));
    expect(matrix.clusters.every((cluster) => ids.has(cluster.id))).toBe(true);
    expect(matrix.clusters).toHaveLength(3);
    expect(matrix.bundles.map((bundle) => bundle.name)).toEqual(['beta-b00', 'beta-b01']);
    expect((await compact(db, fleet.principal)).etag).not.toBe(etag);
    // A state change in alpha leaves beta's tag, and beta's clients' copies, as they were.
    await db.bundleDeployment.updateMany({
      where: { workspaceId: fleet.workspace.id },
      data: { state: 'ErrApplied' },
    });
    expect(
      await getCompactFleetMatrix({ ctx: { db }, principal: other.principal, ifNoneMatch: etag }),
    ).toEqual({ etag, notModified: true });
    // And alpha's current tag means nothing in beta.
    const alpha = await compact(db, fleet.principal);
    const crossed = await getCompactFleetMatrix({
      ctx: { db },
      principal: other.principal,
      ifNoneMatch: alpha.etag,
    });
    expect(crossed.notModified).toBe(false);
  });
});
