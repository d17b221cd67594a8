import { describe } from 'vitest';
import { object, runHealthCases } from './health-cases.ts';

const job = (status: Record<string, unknown>) => object('batch/v1', 'Job', { spec: {}, status });

describe('Job', () => {
  runHealthCases([
    ['running', job({ active: 1 }), 'Progressing', 'Job is running: 1 active pods'],
    [
      'complete',
      job({ conditions: [{ type: 'Complete', status: 'True', message: 'done' }] }),
      'Healthy',
      'done',
    ],
    [
      'failed',
      job({
        conditions: [
          {
            type: 'Failed',
            status: 'True',
            reason: 'BackoffLimitExceeded',
            message: 'Job has reached the specified backoff limit',
          },
        ],
      }),
      'Degraded',
      'Job has reached the specified backoff limit',
    ],
    [
      'suspended',
      job({ conditions: [{ type: 'Suspended', status: 'True' }] }),
      'Progressing',
      'Job is suspended',
    ],
    [
      'resumed after a suspension',
      job({ active: 1, conditions: [{ type: 'Suspended', status: 'False' }] }),
      'Progressing',
      'Job is running',
    ],
  ]);
});

const pod = (spec: Record<string, unknown>, status: Record<string, unknown>) =>
  object('v1', 'Pod', { spec: { containers: [{ name: 'app' }], ...spec }, status });
const readyCondition = { type: 'Ready', status: 'True' };

describe('Pod', () => {
  runHealthCases([
    [
      'running and ready',
      pod({}, { phase: 'Running', conditions: [readyCondition] }),
      'Healthy',
      '',
    ],
    [
      'running, not ready yet',
      pod({}, { phase: 'Running', containerStatuses: [{ name: 'app', state: { running: {} } }] }),
      'Progressing',
      '',
    ],
    [
      'running, not ready after a restart',
      pod(
        {},
        {
          phase: 'Running',
          message: 'restarting',
          containerStatuses: [
            { name: 'app', state: { running: {} }, lastState: { terminated: { exitCode: 1 } } },
          ],
        },
      ),
      'Degraded',
      'restarting',
    ],
    [
      'CrashLoopBackOff',
      pod(
        {},
        {
          phase: 'Running',
          containerStatuses: [
            {
              name: 'app',
              state: {
                waiting: {
                  reason: 'CrashLoopBackOff',
                  message: 'back-off 5m0s restarting failed container',
                },
              },
            },
          ],
        },
      ),
      'Degraded',
      'back-off 5m0s restarting failed container',
    ],
    [
      'ImagePullBackOff without a message',
      pod(
        {},
        {
          phase: 'Pending',
          containerStatuses: [{ name: 'app', state: { waiting: { reason: 'ImagePullBackOff' } } }],
        },
      ),
      'Degraded',
      'app: ImagePullBackOff',
    ],
    [
      'ErrImagePull',
      pod(
        {},
        {
          phase: 'Pending',
          containerStatuses: [
            { name: 'app', state: { waiting: { reason: 'ErrImagePull', message: 'not found' } } },
          ],
        },
      ),
      'Degraded',
      'not found',
    ],
    [
      'ContainerCreating is not a failure',
      pod(
        {},
        {
          phase: 'Pending',
          containerStatuses: [{ name: 'app', state: { waiting: { reason: 'ContainerCreating' } } }],
        },
      ),
      'Progressing',
      '',
    ],
    [
      'a run-once pod pulling a missing image stays Progressing',
      pod(
        { restartPolicy: 'Never' },
        {
          phase: 'Pending',
          containerStatuses: [{ name: 'app', state: { waiting: { reason: 'ImagePullBackOff' } } }],
        },
      ),
      'Progressing',
      '',
    ],
    [
      'a run-once pod running',
      pod({ restartPolicy: 'OnFailure' }, { phase: 'Running', conditions: [readyCondition] }),
      'Progressing',
      '',
    ],
    [
      'pending',
      pod({}, { phase: 'Pending', message: '0/3 nodes are available' }),
      'Progressing',
      '0/3 nodes are available',
    ],
    ['succeeded', pod({ restartPolicy: 'Never' }, { phase: 'Succeeded' }), 'Healthy', ''],
    [
      'failed with a message',
      pod({ restartPolicy: 'Never' }, { phase: 'Failed', message: 'Pod was evicted' }),
      'Degraded',
      'Pod was evicted',
    ],
    [
      'failed: exit code of a container',
      pod(
        { restartPolicy: 'Never' },
        {
          phase: 'Failed',
          containerStatuses: [{ name: 'app', state: { terminated: { exitCode: 2 } } }],
        },
      ),
      'Degraded',
      'container "app" failed with exit code 2',
    ],
    [
      'failed: OOMKilled',
      pod(
        { restartPolicy: 'Never' },
        {
          phase: 'Failed',
          containerStatuses: [
            { name: 'app', state: { terminated: { exitCode: 137, reason: 'OOMKilled' } } },
          ],
        },
      ),
      'Degraded',
      'OOMKilled',
    ],
    ['unknown phase', pod({}, { phase: 'Unknown' }), 'Unknown', ''],
  ]);
});
