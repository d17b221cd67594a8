import { describe, expect, it } from 'vitest';
import type { TargetCustomization } from '../options/bundle-options.ts';
import { customizationsOfClusters } from './customizations-of-clusters.ts';
import { planDeployments, type PlanFacts, type PlanRender } from './plan-deployments.ts';

const COMMIT = '0123456789abcdef0123456789abcdef01234567';
const prod: TargetCustomization = {
  name: 'prod',
  doNotDeploy: false,
  clusterSelector: { matchLabels: { env: 'prod' } },
};
const skipped: TargetCustomization = {
  name: 'skipped',
  doNotDeploy: true,
  clusterSelector: { matchLabels: { env: 'skip' } },
};
const CLUSTERS = [
  { id: 'c1', name: 'c1', labels: { env: 'dev' }, isOnline: true },
  { id: 'c2', name: 'c2', labels: { env: 'prod' }, isOnline: true },
  { id: 'c3', name: 'c3', labels: { env: 'prod' }, isOnline: true },
];

function facts(renders: PlanRender[]): PlanFacts {
  return {
    commit: COMMIT,
    isGone: false,
    isPaused: false,
    options: { paused: false, targetCustomizations: [prod], keepResources: false },
    targets: [{ clusterSelector: {} }],
    clusters: CLUSTERS,
    groups: [],
    renders,
    deployments: CLUSTERS.map((cluster) => ({
      id: `d-${cluster.id}`,
      clusterId: cluster.id,
      customization: cluster.labels.env === 'prod' ? 'prod' : '',
      targetHash: 'old',
      targetCommit: COMMIT,
      desiredHash: 'old',
      desiredCommit: COMMIT,
      appliedHash: 'old',
      state: 'Ready',
      message: '',
      isOrphaned: false,
      hasInventory: true,
    })),
    now: new Date('2026-01-02T03:04:05Z'),
  };
}

describe('planning with per-cluster renders', () => {
  it("picks each cluster's own revision when its customization renders per cluster", () => {
    const plan = planDeployments(
      facts([
        { customization: '', revisionHash: 'h-shared', error: null },
        { customization: 'prod', revisionHash: null, error: null, isPerCluster: true },
        { customization: 'prod', clusterId: 'c2', revisionHash: 'h-c2', error: null },
        { customization: 'prod', clusterId: 'c3', revisionHash: 'h-c3', error: null },
      ]),
    );
    expect(plan.deploys).toEqual([
      { deploymentId: 'd-c1', desiredHash: 'h-shared' },
      { deploymentId: 'd-c2', desiredHash: 'h-c2' },
      { deploymentId: 'd-c3', desiredHash: 'h-c3' },
    ]);
    expect(plan.needsRender).toBe(false);
  });

  it('a cluster without its render yet keeps what it runs and asks for a render', () => {
    const plan = planDeployments(
      facts([
        { customization: '', revisionHash: 'h-shared', error: null },
        { customization: 'prod', revisionHash: null, error: null, isPerCluster: true },
        { customization: 'prod', clusterId: 'c2', revisionHash: 'h-c2', error: null },
      ]),
    );
    expect(plan.deploys.map((deploy) => deploy.deploymentId)).toEqual(['d-c1', 'd-c2']);
    expect(plan.rows.find((row) => row.id === 'd-c3')).toBeUndefined();
    expect(plan.needsRender).toBe(true);
  });

  it('a cluster whose own render failed shows the error; the others deploy', () => {
    const plan = planDeployments(
      facts([
        { customization: '', revisionHash: 'h-shared', error: null },
        { customization: 'prod', revisionHash: null, error: null, isPerCluster: true },
        { customization: 'prod', clusterId: 'c2', revisionHash: 'h-c2', error: null },
        {
          customization: 'prod',
          clusterId: 'c3',
          revisionHash: null,
          error: 'lookup v1 Secret app/db: forbidden',
        },
      ]),
    );
    expect(plan.deploys.map((deploy) => deploy.deploymentId)).toEqual(['d-c1', 'd-c2']);
    const failed = plan.rows.find((row) => row.id === 'd-c3');
    expect(failed?.state).toBe('ErrApplied');
    expect(failed?.message).toContain('failed to render for this cluster');
    expect(failed?.message).toContain('lookup v1 Secret app/db: forbidden');
  });

  it('a per-cluster render of another customization is not taken', () => {
    const plan = planDeployments(
      facts([
        { customization: '', revisionHash: null, error: null, isPerCluster: true },
        { customization: '', clusterId: 'c1', revisionHash: 'h-c1', error: null },
        { customization: 'prod', revisionHash: 'h-prod', error: null },
        { customization: '', clusterId: 'c2', revisionHash: 'h-stale', error: null },
      ]),
    );
    expect(plan.deploys).toEqual([
      { deploymentId: 'd-c1', desiredHash: 'h-c1' },
      { deploymentId: 'd-c2', desiredHash: 'h-prod' },
      { deploymentId: 'd-c3', desiredHash: 'h-prod' },
    ]);
  });
});

describe('customizationsOfClusters', () => {
  it('names the customization each targeted cluster renders with, leaving out doNotDeploy', () => {
    expect(
      customizationsOfClusters({
        targets: [{ clusterSelector: { matchExpressions: [{ key: 'env', operator: 'Exists' }] } }],
        clusters: [
          ...CLUSTERS,
          { id: 'c4', name: 'c4', labels: { env: 'skip' } },
          { id: 'c5', name: 'c5', labels: {} },
        ],
        groups: [],
        options: { targetCustomizations: [prod, skipped] },
      }),
    ).toEqual([
      { clusterId: 'c1', customization: '' },
      { clusterId: 'c2', customization: 'prod' },
      { clusterId: 'c3', customization: 'prod' },
    ]);
  });
});
