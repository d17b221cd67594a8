import { describe, expect, it } from 'vitest';
import { stateMessage, type StateReason } from './state-message.ts';

describe('stateMessage', () => {
  const commit = '0123456789abcdef0123456789abcdef01234567';
  const hash = 'a1b2c3d4e5f6a7b8c9d0';
  // [reason, message]
  const cases: [StateReason, string][] = [
    [{ state: 'Ready' }, ''],
    [{ state: 'Offline' }, 'Offline: the cluster is unreachable'],
    [
      { state: 'Offline', detail: 'connect ECONNREFUSED 127.0.0.1:1' },
      'Offline: the cluster is unreachable: connect ECONNREFUSED 127.0.0.1:1',
    ],
    [{ state: 'Pending', why: 'notPlanned' }, 'Pending: not planned yet'],
    [{ state: 'Pending', why: 'paused' }, 'Pending: the bundle is paused'],
    [
      { state: 'WaitApplied', why: 'deploying', revision: { commit, hash } },
      'WaitApplied: deploying commit 0123456789ab',
    ],
    [
      { state: 'WaitApplied', why: 'deploying', revision: { commit: null, hash } },
      'WaitApplied: deploying revision a1b2c3d4e5f6',
    ],
    [
      {
        state: 'WaitApplied',
        why: 'hooks',
        revision: { commit, hash },
        hooks: 'pre-install hook Job web/web-migrate',
      },
      'WaitApplied: deploying commit 0123456789ab: running pre-install hook Job web/web-migrate',
    ],
    [
      { state: 'WaitApplied', why: 'pruning' },
      'WaitApplied: no longer targeted; removing its objects from the cluster',
    ],
    [
      { state: 'OutOfSync', why: 'paused', revision: { hash } },
      'OutOfSync: the bundle is paused; revision a1b2c3d4e5f6 is held back',
    ],
    [
      { state: 'OutOfSync', why: 'rollout', revision: { commit } },
      'OutOfSync: commit 0123456789ab waits for the rollout to reach this cluster',
    ],
    [
      { state: 'Pending', why: 'dependency', bundle: 'infra-crds' },
      'Pending: waiting for bundle infra-crds to be Ready on this cluster',
    ],
    [
      { state: 'OutOfSync', why: 'dependency', revision: { commit }, bundle: 'infra-crds' },
      'OutOfSync: commit 0123456789ab waits for bundle infra-crds to be Ready on this cluster',
    ],
    [
      { state: 'Pending', why: 'syncWindow', until: new Date('2026-12-08T08:00:00Z') },
      'Pending: outside sync window until 2026-12-08T08:00:00Z',
    ],
    [
      { state: 'Pending', why: 'syncWindow', until: null },
      'Pending: outside sync window (none opens within a year)',
    ],
    [{ state: 'ErrApplied', error: 'forbidden' }, 'ErrApplied: forbidden'],
    [{ state: 'NotReady', summary: null }, 'NotReady'],
    [{ state: 'Modified', summary: 'ConfigMap a/b: missing' }, 'Modified: ConfigMap a/b: missing'],
  ];
  it.each(cases)('%j', (reason, message) => {
    expect(stateMessage(reason)).toBe(message);
  });
});
