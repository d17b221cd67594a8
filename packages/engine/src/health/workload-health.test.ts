import { describe } from 'vitest';
import { object, runHealthCases } from './health-cases.ts';

const deployment = (
  spec: Record<string, unknown>,
  status: Record<string, unknown>,
  generation = 1,
) => object('apps/v1', 'Deployment', { spec: { replicas: 2, ...spec }, status }, generation);
const settled = { observedGeneration: 1, replicas: 2, updatedReplicas: 2, availableReplicas: 2 };

describe('Deployment', () => {
  runHealthCases([
    ['all replicas updated and available', deployment({}, settled), 'Healthy', ''],
    [
      'generation not yet observed',
      deployment({}, settled, 2),
      'Progressing',
      'observed deployment generation less than desired generation',
    ],
    ['no status at all', deployment({}, {}), 'Progressing', 'observed deployment generation'],
    [
      'replicas being updated',
      deployment({}, { ...settled, updatedReplicas: 1 }),
      'Progressing',
      'Waiting for rollout to finish: 1 out of 2 new replicas have been updated...',
    ],
    [
      'old replicas terminating',
      deployment({}, { ...settled, replicas: 3 }),
      'Progressing',
      'Waiting for rollout to finish: 1 old replicas are pending termination...',
    ],
    [
      'updated but not available',
      deployment({}, { ...settled, availableReplicas: 0 }),
      'Progressing',
      'Waiting for rollout to finish: 0 of 2 updated replicas are available...',
    ],
    [
      'progress deadline exceeded',
      deployment(
        {},
        {
          ...settled,
          availableReplicas: 0,
          conditions: [
            { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' },
          ],
        },
      ),
      'Degraded',
      'Deployment "web" exceeded its progress deadline',
    ],
    ['paused', deployment({ paused: true }, settled), 'Progressing', 'Deployment is paused'],
    ['scaled to zero', deployment({ replicas: 0 }, { observedGeneration: 1 }), 'Healthy', ''],
  ]);
});

const statefulSet = (spec: Record<string, unknown>, status: Record<string, unknown>) =>
  object('apps/v1', 'StatefulSet', { spec: { replicas: 3, ...spec }, status });
const stsReady = {
  observedGeneration: 1,
  readyReplicas: 3,
  updatedReplicas: 3,
  currentReplicas: 3,
  currentRevision: 'web-1',
  updateRevision: 'web-1',
};

describe('StatefulSet', () => {
  runHealthCases([
    [
      'rolling update complete',
      statefulSet({ updateStrategy: { type: 'RollingUpdate' } }, stsReady),
      'Healthy',
      'statefulset rolling update complete 3 pods at revision web-1...',
    ],
    [
      'never observed',
      statefulSet({}, {}),
      'Progressing',
      'Waiting for statefulset spec update to be observed...',
    ],
    [
      'pods not ready',
      statefulSet({}, { ...stsReady, readyReplicas: 1 }),
      'Progressing',
      'Waiting for 2 pods to be ready...',
    ],
    [
      'revision rolling',
      statefulSet({}, { ...stsReady, updateRevision: 'web-2', updatedReplicas: 1 }),
      'Progressing',
      'waiting for statefulset rolling update to complete 1 pods at revision web-2...',
    ],
    [
      'partitioned roll out waiting',
      statefulSet(
        { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } } },
        { ...stsReady, updatedReplicas: 1 },
      ),
      'Progressing',
      'Waiting for partitioned roll out to finish: 1 out of 2 new pods have been updated...',
    ],
    [
      'partitioned roll out done',
      statefulSet(
        { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } } },
        { ...stsReady, updatedReplicas: 2 },
      ),
      'Healthy',
      'partitioned roll out complete: 2 new pods have been updated...',
    ],
    [
      'OnDelete',
      statefulSet(
        { updateStrategy: { type: 'OnDelete' } },
        { ...stsReady, updateRevision: 'web-2' },
      ),
      'Healthy',
      'statefulset has 3 ready pods',
    ],
  ]);
});

const daemonSet = (
  spec: Record<string, unknown>,
  status: Record<string, unknown>,
  generation = 1,
) => object('apps/v1', 'DaemonSet', { spec, status }, generation);
const dsReady = {
  observedGeneration: 1,
  desiredNumberScheduled: 3,
  updatedNumberScheduled: 3,
  numberAvailable: 3,
};

describe('DaemonSet', () => {
  runHealthCases([
    ['every node updated and available', daemonSet({}, dsReady), 'Healthy', ''],
    [
      'generation not observed',
      daemonSet({}, dsReady, 2),
      'Progressing',
      'observed daemon set generation less than desired',
    ],
    [
      'nodes updating',
      daemonSet({}, { ...dsReady, updatedNumberScheduled: 1 }),
      'Progressing',
      'Waiting for daemon set "web" rollout to finish: 1 out of 3 new pods have been updated...',
    ],
    [
      'pods not available',
      daemonSet({}, { ...dsReady, numberAvailable: 2 }),
      'Progressing',
      'Waiting for daemon set "web" rollout to finish: 2 of 3 updated pods are available...',
    ],
    [
      'OnDelete',
      daemonSet(
        { updateStrategy: { type: 'OnDelete' } },
        { ...dsReady, updatedNumberScheduled: 1 },
      ),
      'Healthy',
      'daemon set 1 out of 3 new pods have been updated',
    ],
  ]);
});

const replicaSet = (status: Record<string, unknown>, generation = 1) =>
  object('apps/v1', 'ReplicaSet', { spec: { replicas: 2 }, status }, generation);

describe('ReplicaSet', () => {
  runHealthCases([
    ['available', replicaSet({ observedGeneration: 1, availableReplicas: 2 }), 'Healthy', ''],
    [
      'generation not observed',
      replicaSet({ observedGeneration: 1 }, 2),
      'Progressing',
      'observed replica set generation',
    ],
    [
      'waiting for replicas',
      replicaSet({ observedGeneration: 1, availableReplicas: 1 }),
      'Progressing',
      'Waiting for rollout to finish: 1 out of 2 new replicas are available...',
    ],
    [
      'replica failure',
      replicaSet({
        observedGeneration: 1,
        conditions: [
          {
            type: 'ReplicaFailure',
            status: 'True',
            message: 'pods "web-" is forbidden: exceeded quota',
          },
        ],
      }),
      'Degraded',
      'exceeded quota',
    ],
  ]);
});
