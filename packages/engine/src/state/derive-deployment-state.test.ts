import { describe, expect, it } from 'vitest';
import {
  DEPLOYMENT_STATES,
  aggregateStates,
  isWorseState,
  worstState,
  type DeploymentState,
} from './deployment-states.ts';
import {
  deriveDeploymentState,
  type DeploymentFacts,
  type ResourceFacts,
} from './derive-deployment-state.ts';

const healthy = (kind: string, name: string): ResourceFacts => ({
  kind,
  name,
  namespace: 'fleet-x',
  health: 'Healthy',
  modified: false,
  missing: false,
});
const rollingOut: ResourceFacts = {
  ...healthy('Deployment', 'frontend'),
  health: 'Progressing',
  message: 'Waiting for rollout to finish: 0 of 1 updated replicas are available...',
};
const editedConfig: ResourceFacts = {
  ...healthy('ConfigMap', 'app'),
  namespace: 'ns',
  modified: true,
  driftPaths: ['data.key'],
};
const missingRole: ResourceFacts = {
  ...healthy('ClusterRole', 'reader'),
  namespace: '',
  health: 'Missing',
  missing: true,
};

const ready: DeploymentFacts = {
  isClusterOnline: true,
  desiredHash: 'a1b2c3d4e5f6a7b8c9d0',
  appliedHash: 'a1b2c3d4e5f6a7b8c9d0',
  isPaused: false,
  isDeploying: false,
  lastError: null,
  resources: [healthy('Deployment', 'frontend'), healthy('Service', 'frontend')],
};

describe('deriveDeploymentState', () => {
  // [description, facts, state, message]
  const cases: [string, DeploymentFacts, DeploymentState, string][] = [
    ['applied, healthy, no drift', ready, 'Ready', ''],
    [
      'cluster unreachable, even if everything was fine',
      { ...ready, isClusterOnline: false },
      'Offline',
      'Offline: the cluster is unreachable',
    ],
    [
      'cluster unreachable while deploying',
      { ...ready, isClusterOnline: false, isDeploying: true },
      'Offline',
      'Offline',
    ],
    [
      'not planned yet',
      { ...ready, desiredHash: null, appliedHash: null },
      'Pending',
      'Pending: not planned yet',
    ],
    [
      'planned, never deployed',
      { ...ready, appliedHash: null, resources: [] },
      'Pending',
      'Pending: waiting for the first deploy to this cluster',
    ],
    [
      'planned while paused, never deployed',
      { ...ready, appliedHash: null, isPaused: true, resources: [] },
      'OutOfSync',
      'OutOfSync: the bundle is paused; revision a1b2c3d4e5f6 is held back',
    ],
    [
      'apply failed',
      {
        ...ready,
        appliedHash: 'old',
        lastError: 'Deployment fleet-x/frontend: spec.replicas: Invalid value: -1',
      },
      'ErrApplied',
      'ErrApplied: Deployment fleet-x/frontend: spec.replicas: Invalid value: -1',
    ],
    [
      'the first apply failed',
      { ...ready, appliedHash: null, lastError: 'namespaces "x" not found' },
      'ErrApplied',
      'ErrApplied: namespaces "x" not found',
    ],
    [
      'an error beats a queued retry',
      { ...ready, lastError: 'forbidden', isDeploying: true },
      'ErrApplied',
      'forbidden',
    ],
    [
      'deploy queued',
      { ...ready, appliedHash: 'old', isDeploying: true },
      'WaitApplied',
      'WaitApplied: deploying revision a1b2c3d4e5f6',
    ],
    [
      'one resource not ready',
      { ...ready, resources: [rollingOut, healthy('Service', 'frontend')] },
      'NotReady',
      'NotReady: Deployment fleet-x/frontend: Waiting for rollout to finish: 0 of 1 updated replicas are available...',
    ],
    [
      'three resources not ready',
      {
        ...ready,
        resources: [
          rollingOut,
          { ...rollingOut, name: 'b' },
          { ...rollingOut, name: 'c', health: 'Degraded' },
        ],
      },
      'NotReady',
      'NotReady: Deployment fleet-x/frontend: Waiting for rollout to finish: 0 of 1 updated replicas are available...; 2 more',
    ],
    [
      'a resource of unknown health without a message',
      { ...ready, resources: [{ ...healthy('Pod', 'p'), health: 'Unknown' }] },
      'NotReady',
      'NotReady: Pod fleet-x/p: Unknown',
    ],
    [
      'not ready outranks drift, as in Fleet',
      { ...ready, resources: [rollingOut, editedConfig] },
      'NotReady',
      'NotReady',
    ],
    [
      'newer revision held back by the rollout',
      { ...ready, appliedHash: 'old' },
      'OutOfSync',
      'OutOfSync: revision a1b2c3d4e5f6 waits for the rollout to reach this cluster',
    ],
    [
      'newer revision held back by pause',
      { ...ready, appliedHash: 'old', isPaused: true },
      'OutOfSync',
      'OutOfSync: the bundle is paused',
    ],
    ['paused but up to date', { ...ready, isPaused: true }, 'Ready', ''],
    [
      'a field edited on the cluster',
      { ...ready, resources: [healthy('Deployment', 'frontend'), editedConfig] },
      'Modified',
      'Modified: ConfigMap ns/app: data.key differs',
    ],
    [
      'several fields edited',
      { ...ready, resources: [{ ...editedConfig, driftPaths: ['data.a', 'data.b'] }] },
      'Modified',
      'Modified: ConfigMap ns/app: data.a, data.b differ',
    ],
    [
      'drift without paths',
      { ...ready, resources: [{ ...editedConfig, driftPaths: undefined }] },
      'Modified',
      'Modified: ConfigMap ns/app: differs from Git',
    ],
    [
      'an owned object deleted on the cluster',
      { ...ready, resources: [missingRole, editedConfig] },
      'Modified',
      'Modified: ClusterRole reader: missing; 1 more',
    ],
  ];

  it.each(cases)('%s', (_name, facts, state, message) => {
    const derived = deriveDeploymentState(facts);
    expect(derived.state).toBe(state);
    if (message === '') expect(derived.message).toBe('');
    else expect(derived.message).toContain(message);
  });
});

describe('worst state wins', () => {
  it('orders the states as Fleet ranks them, with Offline worst', () => {
    expect(DEPLOYMENT_STATES).toEqual([
      'Offline',
      'ErrApplied',
      'WaitApplied',
      'Modified',
      'OutOfSync',
      'Pending',
      'NotReady',
      'Ready',
    ]);
  });

  const cases: [DeploymentState[], DeploymentState | undefined][] = [
    [[], undefined],
    [['Ready'], 'Ready'],
    [['Ready', 'NotReady'], 'NotReady'],
    [['NotReady', 'Pending'], 'Pending'],
    [['Pending', 'OutOfSync', 'Ready'], 'OutOfSync'],
    [['Modified', 'OutOfSync'], 'Modified'],
    [['Modified', 'WaitApplied'], 'WaitApplied'],
    [['ErrApplied', 'WaitApplied', 'Ready'], 'ErrApplied'],
    [['Ready', 'ErrApplied', 'Offline'], 'Offline'],
  ];

  it.each(cases)('worstState(%j) is %s', (states, worst) => {
    expect(worstState(states)).toBe(worst);
  });

  it('isWorseState compares by rank', () => {
    expect(isWorseState('Modified', 'NotReady')).toBe(true);
    expect(isWorseState('Ready', 'Ready')).toBe(false);
  });

  it('aggregateStates counts every state and names the worst', () => {
    const summary = aggregateStates(['Ready', 'Ready', 'Modified', 'NotReady']);
    expect(summary.state).toBe('Modified');
    expect(summary.counts).toEqual({
      Offline: 0,
      ErrApplied: 0,
      WaitApplied: 0,
      Modified: 1,
      OutOfSync: 0,
      Pending: 0,
      NotReady: 1,
      Ready: 2,
    });
    expect(aggregateStates([]).state).toBeNull();
  });
});
