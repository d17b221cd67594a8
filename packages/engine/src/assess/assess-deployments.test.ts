import { describe, expect, it } from 'vitest';
import type { DeploymentState } from '../state/deployment-states.ts';
import type { KubeObject } from '../types.ts';
import {
  assessDeployments,
  type AssessDeployment,
  type AssessFacts,
} from './assess-deployments.ts';

const NOW = new Date('2026-01-02T03:04:05Z');

const config: KubeObject = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'app', namespace: 'shop' },
  data: { key: 'from-git' },
};

const web: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop', generation: 1 },
  spec: { replicas: 2 },
};

const available = (object: KubeObject, replicas = 2): KubeObject => ({
  ...object,
  status: {
    observedGeneration: 1,
    replicas,
    updatedReplicas: replicas,
    readyReplicas: replicas,
    availableReplicas: replicas,
  },
});

function deployment(overrides: Partial<AssessDeployment> = {}): AssessDeployment {
  return {
    id: 'd1',
    clusterId: 'c1',
    bundleId: 'b1',
    state: 'Ready',
    targetHash: 'h1',
    desiredHash: 'h1',
    appliedHash: 'h1',
    lastError: null,
    isPaused: false,
    desired: [config, web],
    comparePatches: [],
    isDriftCorrected: false,
    ...overrides,
  };
}

function facts(overrides: Partial<AssessFacts> & { one?: Partial<AssessDeployment> } = {}) {
  const { one, ...rest } = overrides;
  return {
    deployments: [deployment(one)],
    live: { objects: [config, available(web)], errors: [] },
    now: NOW,
    ...rest,
  } satisfies AssessFacts;
}

describe('assessDeployments', () => {
  // [description, facts, state, message (contained), corrected, unsettled]
  const cases: [string, AssessFacts, DeploymentState, string, boolean, number][] = [
    ['everything live and healthy', facts(), 'Ready', '', false, 0],
    [
      'an object deleted on the cluster',
      facts({ live: { objects: [available(web)], errors: [] } }),
      'Modified',
      'Modified: ConfigMap shop/app: missing',
      false,
      0,
    ],
    [
      'a field edited by hand',
      facts({
        live: { objects: [{ ...config, data: { key: 'by-hand' } }, available(web)], errors: [] },
      }),
      'Modified',
      'Modified: ConfigMap shop/app: data.key differs',
      false,
      0,
    ],
    [
      'a field edited by hand, with correctDrift',
      facts({
        one: { isDriftCorrected: true },
        live: { objects: [{ ...config, data: { key: 'by-hand' } }, available(web)], errors: [] },
      }),
      'Modified',
      'data.key differs',
      true,
      0,
    ],
    [
      'drift during a deploy is not corrected: the deploy will apply Git anyway',
      facts({
        one: { isDriftCorrected: true, desiredHash: 'h2', targetHash: 'h2' },
        live: { objects: [{ ...config, data: { key: 'by-hand' } }, available(web)], errors: [] },
      }),
      'WaitApplied',
      'WaitApplied: deploying revision h2',
      false,
      0,
    ],
    [
      'a field edited by hand, with correctDrift, outside a sync window: shown, not corrected',
      facts({
        one: {
          isDriftCorrected: true,
          syncWindowHold: { until: new Date('2026-01-02T08:00:00Z') },
        },
        live: { objects: [{ ...config, data: { key: 'by-hand' } }, available(web)], errors: [] },
      }),
      'Modified',
      'data.key differs',
      false,
      0,
    ],
    [
      'a newer revision held back by a sync window keeps the hold',
      facts({
        one: {
          state: 'Pending',
          targetHash: 'h2',
          syncWindowHold: { until: new Date('2026-01-02T08:00:00Z') },
        },
      }),
      'Pending',
      'Pending: outside sync window until 2026-01-02T08:00:00Z',
      false,
      0,
    ],
    [
      'a Deployment still rolling out',
      facts({ live: { objects: [config, available(web, 1)], errors: [] } }),
      'NotReady',
      'NotReady: Deployment shop/web',
      false,
      1,
    ],
    [
      'a kind that could not be listed is Unknown, never missing',
      facts({
        live: { objects: [config], errors: [{ apiVersion: 'apps/v1', kind: 'Deployment' }] },
      }),
      'NotReady',
      'NotReady: Deployment shop/web: could not list this kind on the cluster',
      false,
      1,
    ],
    [
      'a newer revision held back by pause',
      facts({ one: { isPaused: true, targetHash: 'h2' } }),
      'OutOfSync',
      'OutOfSync: the bundle is paused',
      false,
      0,
    ],
    [
      'a newer revision with no objects held for a confirmation keeps the hold',
      facts({ one: { isPruneHeld: true, state: 'Pending', targetHash: 'h-empty' } }),
      'Pending',
      'Pending: would delete all 2 objects; confirm',
      false,
      0,
    ],
    [
      'the last apply failed',
      facts({ one: { lastError: 'ConfigMap shop/app: forbidden' } }),
      'ErrApplied',
      'ErrApplied: ConfigMap shop/app: forbidden',
      false,
      0,
    ],
  ];

  it.each(cases)('%s', (_name, input, state, message, isCorrected, unsettled) => {
    const assessment = assessDeployments(input);
    const [row] = assessment.rows;
    expect(row?.state).toBe(state);
    if (message === '') expect(row?.message).toBe('');
    else expect(row?.message).toContain(message);
    expect(assessment.toCorrect).toEqual(isCorrected ? ['d1'] : []);
    expect(assessment.unsettled).toBe(unsettled);
  });

  it('counts the resources and records a state change with its time', () => {
    const assessment = assessDeployments(
      facts({ one: { state: 'NotReady' }, live: { objects: [available(web)], errors: [] } }),
    );
    const [row] = assessment.rows;
    expect(row?.counts).toEqual({ total: 2, ready: 1, notReady: 0, modified: 0, missing: 1 });
    expect(row?.resources.map((resource) => [resource.name, resource.health])).toEqual([
      ['app', 'Missing'],
      ['web', 'Healthy'],
    ]);
    expect(row?.stateChangedAt).toEqual(NOW);
    expect(assessment.changes).toEqual([
      {
        deploymentId: 'd1',
        clusterId: 'c1',
        bundleId: 'b1',
        fromState: 'NotReady',
        toState: 'Modified',
        message: 'Modified: ConfigMap shop/app: missing',
      },
    ]);
  });

  it('keeps the time of a state that did not change', () => {
    const assessment = assessDeployments(facts());
    expect(assessment.rows[0]?.stateChangedAt).toBeNull();
    expect(assessment.changes).toEqual([]);
  });
});
