import { describe, expect, it } from 'vitest';
import type { TargetCustomization } from '../options/bundle-options.ts';
import {
  planDeployments,
  type DeploymentsPlan,
  type PlanDeployment,
  type PlanFacts,
} from './plan-deployments.ts';

const COMMIT = '0123456789abcdef0123456789abcdef01234567';
const NOW = new Date('2026-01-02T03:04:05Z');

const prod = (overrides: Partial<TargetCustomization> = {}): TargetCustomization => ({
  name: 'prod',
  doNotDeploy: false,
  clusterSelector: { matchLabels: { env: 'prod' } },
  ...overrides,
});

/** c1 (env=dev), c2 (env=prod), c3 (env=dev); every cluster targeted; "" renders to h-default. */
function facts(overrides: Partial<PlanFacts> = {}): PlanFacts {
  return {
    commit: COMMIT,
    isGone: false,
    isPaused: false,
    options: { paused: false, targetCustomizations: [], keepResources: false },
    targets: [{ clusterSelector: {} }],
    clusters: [
      { id: 'c1', name: 'c1', labels: { env: 'dev' }, isOnline: true },
      { id: 'c2', name: 'c2', labels: { env: 'prod' }, isOnline: true },
      { id: 'c3', name: 'c3', labels: { env: 'dev' }, isOnline: true },
    ],
    groups: [],
    renders: [
      { customization: '', revisionHash: 'h-default', error: null },
      { customization: 'prod', revisionHash: 'h-prod', error: null },
    ],
    deployments: [],
    now: NOW,
    ...overrides,
  };
}

/** Holds changes to env=prod clusters from 00:00 to 08:00 UTC (NOW is 03:04 UTC). */
const nightFreeze = (schedule = '0 0 * * *') => ({
  name: 'night-freeze',
  kind: 'deny' as const,
  schedule,
  duration: '8h',
  timeZone: 'UTC',
  targets: [{ clusterSelector: { matchLabels: { env: 'prod' } } }],
  manualSync: false,
});
const OUTSIDE = 'Pending|Pending: outside sync window until 2026-01-02T08:00:00Z';

/** A deployment of c1..c3, by default Ready on the defaults' revision. */
function deployment(clusterId: string, overrides: Partial<PlanDeployment> = {}): PlanDeployment {
  const hash = 'h-default';
  return {
    id: `d-${clusterId}`,
    clusterId,
    customization: '',
    targetHash: hash,
    targetCommit: COMMIT,
    desiredHash: hash,
    desiredCommit: COMMIT,
    appliedHash: hash,
    state: 'Ready',
    message: '',
    isOrphaned: false,
    hasInventory: true,
    ...overrides,
  };
}

const allThree = (overrides: Partial<PlanDeployment> = {}) =>
  ['c1', 'c2', 'c3'].map((id) => deployment(id, overrides));

/** What a case checks: the plan reduced to what a reader of a row would see. */
function summary(plan: DeploymentsPlan) {
  return {
    creates: plan.creates.map((create) =>
      create.failure ? `${create.clusterId}:${create.failure.message}` : create.clusterId,
    ),
    states: Object.fromEntries(plan.rows.map((row) => [row.id, `${row.state}|${row.message}`])),
    deploys: plan.deploys.map((deploy) => `${deploy.deploymentId}@${deploy.desiredHash}`),
    prunes: plan.prunes,
    deletes: plan.deletes,
    needsRender: plan.needsRender,
  };
}

const nothing = {
  creates: [],
  states: {},
  deploys: [],
  prunes: [],
  deletes: [],
  needsRender: false,
};

describe('planDeployments', () => {
  // [description, facts, expected summary (fields left out are as in `nothing`)]
  const cases: [string, PlanFacts, Partial<ReturnType<typeof summary>>][] = [
    [
      'newly targeted clusters are created first',
      facts({ options: { ...facts().options, targetCustomizations: [prod()] } }),
      { creates: ['c1', 'c2', 'c3'] },
    ],
    ['a fleet at rest writes nothing', facts({ deployments: allThree() }), {}],
    [
      'a revision with no objects that would prune all of a deployment is held for confirmation',
      facts({
        clusters: [facts().clusters[0]!],
        renders: [{ customization: '', revisionHash: 'h-empty', error: null, objectCount: 0 }],
        deployments: [deployment('c1', { inventoryCount: 3 })],
      }),
      { states: { 'd-c1': 'Pending|Pending: would delete all 3 objects; confirm' } },
    ],
    [
      'an empty revision confirmed for this very revision is deployed (and prunes)',
      facts({
        clusters: [facts().clusters[0]!],
        renders: [{ customization: '', revisionHash: 'h-empty', error: null, objectCount: 0 }],
        deployments: [
          deployment('c1', {
            inventoryCount: 3,
            state: 'Pending',
            message: 'Pending: would delete all 3 objects; confirm',
            pruneConfirmedHash: 'h-empty',
          }),
        ],
      }),
      {
        states: { 'd-c1': 'WaitApplied|WaitApplied: deploying commit 0123456789ab' },
        deploys: ['d-c1@h-empty'],
      },
    ],
    [
      'a confirmation of another empty revision does not release this one',
      facts({
        clusters: [facts().clusters[0]!],
        renders: [{ customization: '', revisionHash: 'h-empty2', error: null, objectCount: 0 }],
        deployments: [deployment('c1', { inventoryCount: 1, pruneConfirmedHash: 'h-empty' })],
      }),
      { states: { 'd-c1': 'Pending|Pending: would delete all 1 object; confirm' } },
    ],
    [
      'a bundle with allowEmpty: true deploys an empty revision at once',
      facts({
        options: { ...facts().options, allowEmpty: true },
        clusters: [facts().clusters[0]!],
        renders: [{ customization: '', revisionHash: 'h-empty', error: null, objectCount: 0 }],
        deployments: [deployment('c1', { inventoryCount: 3 })],
      }),
      {
        states: { 'd-c1': 'WaitApplied|WaitApplied: deploying commit 0123456789ab' },
        deploys: ['d-c1@h-empty'],
      },
    ],
    [
      'an empty revision for a deployment with nothing on its cluster is not held',
      facts({
        clusters: [facts().clusters[0]!],
        renders: [{ customization: '', revisionHash: 'h-empty', error: null, objectCount: 0 }],
        deployments: [deployment('c1', { inventoryCount: 0, hasInventory: false })],
      }),
      {
        states: { 'd-c1': 'WaitApplied|WaitApplied: deploying commit 0123456789ab' },
        deploys: ['d-c1@h-empty'],
      },
    ],
    [
      'a new revision is deployed to every cluster without a rollout strategy',
      facts({ deployments: allThree({ appliedHash: 'old', desiredHash: 'old' }) }),
      {
        states: {
          'd-c1': 'WaitApplied|WaitApplied: deploying commit 0123456789ab',
          'd-c2': 'WaitApplied|WaitApplied: deploying commit 0123456789ab',
          'd-c3': 'WaitApplied|WaitApplied: deploying commit 0123456789ab',
        },
        deploys: ['d-c1@h-default', 'd-c2@h-default', 'd-c3@h-default'],
      },
    ],
    [
      'a deploy already queued for the revision is not queued again',
      facts({
        deployments: [deployment('c1', { appliedHash: 'old', state: 'WaitApplied' })],
        clusters: [facts().clusters[0]!],
      }),
      {},
    ],
    [
      'run again after an interrupted run: the deploy it may not have queued is queued',
      facts({
        deployments: [deployment('c1', { appliedHash: 'old', state: 'WaitApplied' })],
        clusters: [facts().clusters[0]!],
        isRerun: true,
      }),
      // The row is written again too: its lastEnqueuedAt moves (the state stays).
      { states: { 'd-c1': 'WaitApplied|' }, deploys: ['d-c1@h-default'] },
    ],
    [
      'the first matching targetCustomization picks the revision',
      facts({
        options: { ...facts().options, targetCustomizations: [prod()] },
        deployments: allThree({ appliedHash: 'old', desiredHash: 'old' }),
      }),
      {
        states: {
          'd-c1': 'WaitApplied|WaitApplied: deploying commit 0123456789ab',
          'd-c2': 'WaitApplied|WaitApplied: deploying commit 0123456789ab',
          'd-c3': 'WaitApplied|WaitApplied: deploying commit 0123456789ab',
        },
        deploys: ['d-c1@h-default', 'd-c2@h-prod', 'd-c3@h-default'],
      },
    ],
    [
      'an offline cluster is marked Offline and gets no deploy',
      facts({
        clusters: facts().clusters.map((cluster) => ({
          ...cluster,
          isOnline: cluster.id !== 'c3',
        })),
        deployments: allThree({ appliedHash: 'old', desiredHash: 'old' }),
      }),
      {
        states: {
          'd-c1': 'WaitApplied|WaitApplied: deploying commit 0123456789ab',
          'd-c2': 'WaitApplied|WaitApplied: deploying commit 0123456789ab',
          'd-c3': 'Offline|Offline: the cluster is unreachable',
        },
        deploys: ['d-c1@h-default', 'd-c2@h-default'],
      },
    ],
    [
      'a paused bundle holds the new revision back',
      facts({ isPaused: true, deployments: allThree({ appliedHash: 'old', desiredHash: 'old' }) }),
      {
        states: {
          'd-c1': 'OutOfSync|OutOfSync: the bundle is paused; commit 0123456789ab is held back',
          'd-c2': 'OutOfSync|OutOfSync: the bundle is paused; commit 0123456789ab is held back',
          'd-c3': 'OutOfSync|OutOfSync: the bundle is paused; commit 0123456789ab is held back',
        },
      },
    ],
    [
      'paused in the options file too, and never deployed: Pending',
      facts({
        options: { ...facts().options, paused: true },
        deployments: [
          deployment('c1', {
            appliedHash: null,
            desiredHash: null,
            targetHash: null,
            state: 'Pending',
          }),
        ],
        clusters: [facts().clusters[0]!],
      }),
      { states: { 'd-c1': 'Pending|' } },
    ],
    [
      'maxUnavailable 1 releases one cluster at a time',
      facts({
        options: { ...facts().options, rolloutStrategy: { maxUnavailable: 1 } },
        deployments: allThree({ appliedHash: 'old', desiredHash: 'old' }),
      }),
      {
        states: {
          'd-c1': 'WaitApplied|WaitApplied: deploying commit 0123456789ab',
          'd-c2':
            'OutOfSync|OutOfSync: commit 0123456789ab waits for the rollout to reach this cluster',
          'd-c3':
            'OutOfSync|OutOfSync: commit 0123456789ab waits for the rollout to reach this cluster',
        },
        deploys: ['d-c1@h-default'],
      },
    ],
    [
      'a cluster no longer targeted is orphaned and its objects pruned',
      facts({
        targets: [{ clusterSelector: { matchLabels: { env: 'dev' } } }],
        deployments: allThree(),
      }),
      {
        states: {
          'd-c2':
            'WaitApplied|WaitApplied: no longer targeted; removing its objects from the cluster',
        },
        prunes: ['d-c2'],
      },
    ],
    [
      'an orphan already being pruned is left alone',
      facts({
        targets: [{ clusterName: 'c1' }],
        deployments: [
          deployment('c1'),
          deployment('c2', { isOrphaned: true, state: 'WaitApplied' }),
        ],
      }),
      {},
    ],
    [
      'keepResources: an untargeted deployment is deleted, its objects stay',
      facts({
        targets: [{ clusterName: 'c1' }],
        options: { ...facts().options, keepResources: true },
        deployments: allThree(),
      }),
      { deletes: ['d-c2', 'd-c3'] },
    ],
    [
      'never applied and nothing on the cluster: deleted, nothing to prune',
      facts({
        targets: [{ clusterName: 'c1' }],
        deployments: [
          deployment('c1'),
          deployment('c2', { appliedHash: null, hasInventory: false, state: 'Pending' }),
        ],
      }),
      { deletes: ['d-c2'] },
    ],
    [
      'a bundle gone from Git orphans every deployment',
      facts({ isGone: true, deployments: allThree() }),
      {
        states: {
          'd-c1':
            'WaitApplied|WaitApplied: no longer targeted; removing its objects from the cluster',
          'd-c2':
            'WaitApplied|WaitApplied: no longer targeted; removing its objects from the cluster',
          'd-c3':
            'WaitApplied|WaitApplied: no longer targeted; removing its objects from the cluster',
        },
        prunes: ['d-c1', 'd-c2', 'd-c3'],
      },
    ],
    [
      'doNotDeploy claims the cluster and gives it nothing',
      facts({
        options: { ...facts().options, targetCustomizations: [prod({ doNotDeploy: true })] },
        deployments: allThree(),
      }),
      {
        states: {
          'd-c2':
            'WaitApplied|WaitApplied: no longer targeted; removing its objects from the cluster',
        },
        prunes: ['d-c2'],
      },
    ],
    [
      'a customization not rendered yet asks for a render and keeps what runs',
      facts({
        options: { ...facts().options, targetCustomizations: [prod()] },
        renders: [{ customization: '', revisionHash: 'h-default', error: null }],
        deployments: allThree(),
      }),
      { needsRender: true },
    ],
    [
      'a customization that failed to render fails its clusters, new or not',
      facts({
        options: { ...facts().options, targetCustomizations: [prod()] },
        renders: [
          { customization: '', revisionHash: 'h-default', error: null },
          { customization: 'prod', revisionHash: null, error: 'bad patch' },
        ],
        deployments: [deployment('c1'), deployment('c3')],
        clusters: [
          ...facts().clusters,
          { id: 'c4', name: 'c4', labels: { env: 'prod' }, isOnline: true },
        ],
      }),
      {
        creates: [
          'c2:ErrApplied: the "prod" customization failed to render: bad patch',
          'c4:ErrApplied: the "prod" customization failed to render: bad patch',
        ],
      },
    ],
    [
      'an existing deployment whose customization failed says why',
      facts({
        renders: [{ customization: '', revisionHash: null, error: 'bad yaml' }],
        deployments: [deployment('c1')],
        clusters: [facts().clusters[0]!],
      }),
      {
        states: {
          'd-c1': 'ErrApplied|ErrApplied: the "defaults" customization failed to render: bad yaml',
        },
      },
    ],
    [
      'up to date after a deploy: the monitor decides, NotReady until it looks',
      facts({
        deployments: [deployment('c1', { state: 'WaitApplied' })],
        clusters: [facts().clusters[0]!],
      }),
      { states: { 'd-c1': 'NotReady|NotReady: checking the cluster' } },
    ],
    [
      'not rendered yet at all: nothing planned',
      facts({ commit: null, deployments: allThree() }),
      {
        states: {
          'd-c1':
            'WaitApplied|WaitApplied: no longer targeted; removing its objects from the cluster',
          'd-c2':
            'WaitApplied|WaitApplied: no longer targeted; removing its objects from the cluster',
          'd-c3':
            'WaitApplied|WaitApplied: no longer targeted; removing its objects from the cluster',
        },
        prunes: ['d-c1', 'd-c2', 'd-c3'],
      },
    ],
    [
      'dependsOn: a first deploy waits where its dependency is not Ready, goes where it is',
      facts({
        dependencies: {
          error: null,
          dependencies: [{ name: 'crds', doneOn: new Set(['c2']) }],
        },
        deployments: allThree({ appliedHash: null, desiredHash: null, state: 'Pending' }),
      }),
      {
        states: {
          'd-c1': 'Pending|Pending: waiting for bundle crds to be Ready on this cluster',
          'd-c2': 'WaitApplied|WaitApplied: deploying commit 0123456789ab',
          'd-c3': 'Pending|Pending: waiting for bundle crds to be Ready on this cluster',
        },
        deploys: ['d-c2@h-default'],
      },
    ],
    [
      'dependsOn: a new revision waits as OutOfSync; one already on its way is not held',
      facts({
        dependencies: { error: null, dependencies: [{ name: 'crds', doneOn: new Set() }] },
        deployments: [
          deployment('c1', { appliedHash: 'old', desiredHash: 'old' }),
          deployment('c2', { appliedHash: 'old', state: 'WaitApplied', message: 'WaitApplied: x' }),
          deployment('c3'),
        ],
      }),
      {
        states: {
          'd-c1':
            'OutOfSync|OutOfSync: commit 0123456789ab waits for bundle crds to be Ready on this cluster',
        },
      },
    ],
    [
      'dependsOn in error: nothing new deploys and each waiting cell says why',
      facts({
        dependencies: { error: 'dependsOn: cycle a → b → a', dependencies: [] },
        deployments: [
          deployment('c1', { appliedHash: null, desiredHash: null, state: 'Pending' }),
          deployment('c2'),
        ],
      }),
      {
        states: { 'd-c1': 'ErrApplied|ErrApplied: dependsOn: cycle a → b → a' },
        creates: ['c3'],
      },
    ],
    [
      'dependsOn met: the waiting deployment deploys',
      facts({
        dependencies: { error: null, dependencies: [{ name: 'crds', doneOn: new Set(['c1']) }] },
        clusters: [facts().clusters[0]!],
        deployments: [
          deployment('c1', {
            appliedHash: null,
            desiredHash: null,
            state: 'Pending',
            message: 'Pending: waiting for bundle crds to be Ready on this cluster',
          }),
        ],
      }),
      {
        states: { 'd-c1': 'WaitApplied|WaitApplied: deploying commit 0123456789ab' },
        deploys: ['d-c1@h-default'],
      },
    ],
    [
      'sync window: a new revision waits on the clusters a deny window holds, deploys elsewhere',
      facts({
        syncWindows: [nightFreeze()],
        deployments: allThree({ appliedHash: 'old', desiredHash: 'old' }),
      }),
      {
        states: {
          'd-c1': 'WaitApplied|WaitApplied: deploying commit 0123456789ab',
          'd-c2': OUTSIDE,
          'd-c3': 'WaitApplied|WaitApplied: deploying commit 0123456789ab',
        },
        deploys: ['d-c1@h-default', 'd-c3@h-default'],
      },
    ],
    [
      'sync window: a first deploy waits too',
      facts({
        syncWindows: [nightFreeze()],
        clusters: [facts().clusters[1]!],
        deployments: [deployment('c2', { appliedHash: null, desiredHash: null, state: 'Pending' })],
      }),
      { states: { 'd-c2': OUTSIDE } },
    ],
    [
      'sync window: a revision already on its way goes on',
      facts({
        syncWindows: [nightFreeze()],
        clusters: [facts().clusters[1]!],
        deployments: [
          deployment('c2', { appliedHash: 'old', state: 'WaitApplied', message: 'WaitApplied: x' }),
        ],
      }),
      {},
    ],
    [
      'sync window: once the window is over the held revision deploys',
      facts({
        syncWindows: [nightFreeze('0 12 * * *')],
        clusters: [facts().clusters[1]!],
        deployments: [
          deployment('c2', {
            appliedHash: 'old',
            desiredHash: 'old',
            state: 'Pending',
            message: OUTSIDE.split('|')[1]!,
          }),
        ],
      }),
      {
        states: { 'd-c2': 'WaitApplied|WaitApplied: deploying commit 0123456789ab' },
        deploys: ['d-c2@h-default'],
      },
    ],
  ];

  it.each(cases)('%s', (_name, input, expected) => {
    expect(summary(planDeployments(input))).toEqual({ ...nothing, ...expected });
  });

  it('creates a cluster whose customization failed to render with that customization, not the defaults', () => {
    const plan = planDeployments(
      facts({
        options: { ...facts().options, targetCustomizations: [prod()] },
        renders: [
          { customization: '', revisionHash: 'h-default', error: null },
          { customization: 'prod', revisionHash: null, error: 'bad patch' },
        ],
      }),
    );
    expect(plan.creates.find((create) => create.clusterId === 'c2')).toMatchObject({
      customization: 'prod',
      failure: { state: 'ErrApplied' },
    });
  });

  it('times only the rows whose state changes, and queues with the write', () => {
    const plan = planDeployments(
      facts({
        deployments: [
          deployment('c1', { appliedHash: 'old', desiredHash: 'old' }),
          deployment('c3', { customization: 'old-name' }),
        ],
        clusters: [facts().clusters[0]!, facts().clusters[2]!],
      }),
    );
    const [c1, c3] = plan.rows;
    expect(c1).toMatchObject({ id: 'd-c1', stateChangedAt: NOW, lastEnqueuedAt: NOW });
    expect(c3).toMatchObject({
      id: 'd-c3',
      state: 'Ready',
      stateChangedAt: null,
      lastEnqueuedAt: null,
    });
    expect(plan.changes).toEqual([
      {
        deploymentId: 'd-c1',
        clusterId: 'c1',
        fromState: 'Ready',
        toState: 'WaitApplied',
        message: 'WaitApplied: deploying commit 0123456789ab',
      },
    ]);
    expect(plan.targeted).toBe(2);
  });
});

describe('planDeployments: what halts a rollout', () => {
  // c1 | c2 | c3 as three partitions of one cluster each; the new revision is h-new.
  const strategy = {
    partitions: ['c1', 'c2', 'c3'].map((name) => ({ name, clusterName: name })),
  };
  const newRevision = facts().renders.map((render) => ({ ...render, revisionHash: 'h-new' }));
  const rolloutOf = (c2: Partial<PlanDeployment>, overrides: Partial<PlanFacts> = {}) =>
    planDeployments(
      facts({
        options: { paused: false, targetCustomizations: [], rolloutStrategy: strategy },
        renders: newRevision,
        deployments: [
          deployment('c1', { appliedHash: 'h-new', desiredHash: 'h-new' }),
          deployment('c2', { desiredHash: 'h-new', ...c2 }),
          deployment('c3'),
        ],
        ...overrides,
      }),
    );
  const desiredOfC3 = (plan: DeploymentsPlan) =>
    plan.rows.find((row) => row.id === 'd-c3')?.desiredHash ?? 'h-default';

  it('an ErrApplied cluster halts it at its partition and c3 keeps its revision', () => {
    const plan = rolloutOf({ state: 'ErrApplied', message: 'ErrApplied: rejected' });
    expect(plan.rollout.halted).toEqual({
      partition: 2,
      of: 3,
      name: 'c2',
      failing: [{ clusterId: 'c2', clusterName: 'c2', message: 'ErrApplied: rejected' }],
    });
    expect(desiredOfC3(plan)).toBe('h-default');
  });

  it('a deploy retrying a failed apply is still failing, and says the last error', () => {
    const plan = rolloutOf({ state: 'WaitApplied', lastError: 'ConfigMap "x" is invalid' });
    expect(plan.rollout.halted?.failing[0]?.message).toBe('ConfigMap "x" is invalid');
  });

  it('NotReady past the progress deadline fails; within it the rollout only waits', () => {
    const since = (seconds: number) => new Date(NOW.getTime() - seconds * 1000);
    const stuck = { state: 'NotReady' as const, appliedHash: 'h-new' };
    expect(rolloutOf({ ...stuck, stateChangedAt: since(601) }).rollout.halted).toMatchObject({
      partition: 2,
    });
    expect(rolloutOf({ ...stuck, stateChangedAt: since(599) }).rollout.halted).toBeNull();
    const shortDeadline = {
      options: {
        paused: false,
        targetCustomizations: [],
        rolloutStrategy: { ...strategy, progressDeadlineSeconds: 60 },
      },
    };
    expect(
      rolloutOf({ ...stuck, stateChangedAt: since(61) }, shortDeadline).rollout.halted,
    ).toMatchObject({ partition: 2 });
  });

  it('a promotion past partition 2 releases c3', () => {
    const plan = rolloutOf({ state: 'ErrApplied' }, { promotedPartitions: 2 });
    expect(plan.rollout.halted).toBeNull();
    expect(desiredOfC3(plan)).toBe('h-new');
  });
});

describe('planDeployments: clusters the rollout holds back', () => {
  /** Pass 2 of a maxUnavailable 1 rollout: c1 got the commit, c2 and c3 wait on the old one. */
  const secondPass = (held: Partial<PlanDeployment>) =>
    planDeployments(
      facts({
        options: { ...facts().options, rolloutStrategy: { maxUnavailable: 1 } },
        deployments: [
          deployment('c1', { appliedHash: 'old', desiredHash: 'h-default', state: 'WaitApplied' }),
          ...['c2', 'c3'].map((id) =>
            deployment(id, { appliedHash: 'old', desiredHash: 'old', state: 'OutOfSync', ...held }),
          ),
        ],
      }),
    );

  it('keeps waiting while the revision they run is healthy: one cluster at a time', () => {
    const plan = secondPass({ isRunningReady: true });

    expect(plan.deploys).toEqual([]);
  });

  it('without their health known, both would go at once (what the counts prevent)', () => {
    const plan = secondPass({ isRunningReady: undefined });

    expect(plan.deploys.map((deploy) => deploy.deploymentId).sort()).toEqual(['d-c2', 'd-c3']);
  });

  it('releases one whose running revision is unhealthy: updating it costs nothing', () => {
    const plan = planDeployments(
      facts({
        options: { ...facts().options, rolloutStrategy: { maxUnavailable: 1 } },
        deployments: [
          deployment('c1', { appliedHash: 'old', desiredHash: 'h-default', state: 'WaitApplied' }),
          deployment('c2', {
            appliedHash: 'old',
            desiredHash: 'old',
            state: 'OutOfSync',
            isRunningReady: false,
          }),
          deployment('c3', {
            appliedHash: 'old',
            desiredHash: 'old',
            state: 'OutOfSync',
            isRunningReady: true,
          }),
        ],
      }),
    );

    expect(plan.deploys).toEqual([{ deploymentId: 'd-c2', desiredHash: 'h-default' }]);
  });
});

describe('planDeployments: back to the revision a cluster runs', () => {
  it('applies it again, forced: a failed apply of the abandoned revision may have changed objects', () => {
    // c1 runs h-default and failed to apply h-next; Git (or a pin) goes back to h-default.
    const plan = planDeployments(
      facts({
        clusters: [facts().clusters[0]!],
        deployments: [
          deployment('c1', {
            targetHash: 'h-next',
            desiredHash: 'h-next',
            appliedHash: 'h-default',
            state: 'ErrApplied',
            message: 'ErrApplied: ConfigMap "extra" is invalid',
            lastError: 'ConfigMap "extra" is invalid',
          }),
        ],
      }),
    );

    expect(plan.deploys).toEqual([
      { deploymentId: 'd-c1', desiredHash: 'h-default', isCorrection: true },
    ]);
    expect(plan.rows).toMatchObject([
      { id: 'd-c1', desiredHash: 'h-default', state: 'WaitApplied' },
    ]);
  });
});
