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
  ];

  it.each(cases)('%s', (_name, input, expected) => {
    expect(summary(planDeployments(input))).toEqual({ ...nothing, ...expected });
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
