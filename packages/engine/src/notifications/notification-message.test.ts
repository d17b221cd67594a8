import { describe, expect, it } from 'vitest';
import { notificationMessage, type NamedTransition } from './notification-message.ts';

const offline = (index: number): NamedTransition => ({
  transition: {
    kind: 'deployment',
    deploymentId: `d${index}`,
    bundleId: 'b',
    clusterId: `c${index}`,
    fromState: 'Ready',
    toState: 'Offline',
    message: 'cluster unreachable',
    at: '2026-12-06T00:00:00.000Z',
  },
  bundleName: 'web',
  clusterName: `demo-${index}`,
});

describe('notificationMessage', () => {
  it('reads one transition as itself', () => {
    expect(notificationMessage([offline(1)]).summary).toBe(
      'Bundle web on demo-1 entered Offline: cluster unreachable',
    );
  });

  it('summarises a fleet-wide outage in one line with ten names', () => {
    const items = Array.from({ length: 200 }, (_, index) => offline(index + 1));
    expect(notificationMessage(items).summary).toBe(
      '200 deployments on 200 clusters entered Offline: demo-1, demo-2, demo-3, demo-4, demo-5, ' +
        'demo-6, demo-7, demo-8, demo-9, demo-10, ... and 190 more',
    );
  });

  it('groups by state entered and counts clusters once', () => {
    const failed = {
      ...offline(1),
      transition: { ...offline(1).transition, toState: 'ErrApplied' as const },
    };
    const second = {
      ...offline(1),
      bundleName: 'db',
      transition: { ...offline(1).transition, deploymentId: 'd9' },
    };
    const halt: NamedTransition = {
      transition: { kind: 'rollout', bundleId: 'b', message: 'Halted: partition 1 of 2', at: '' },
      bundleName: 'api',
      clusterName: '',
    };
    const message = notificationMessage([offline(1), second, offline(2), failed, halt]);
    expect(message.lines).toEqual([
      '3 deployments on 2 clusters entered Offline: demo-1, demo-2',
      '1 deployment on 1 cluster entered ErrApplied: demo-1',
      '1 rollout halted: api',
    ]);
  });

  it('reads a rollout halt', () => {
    const halt: NamedTransition = {
      transition: {
        kind: 'rollout',
        bundleId: 'b',
        message: 'Halted: partition 1 of 2, 1 cluster failing',
        at: '',
      },
      bundleName: 'api',
      clusterName: '',
    };
    expect(notificationMessage([halt]).summary).toBe(
      'Rollout of bundle api halted: Halted: partition 1 of 2, 1 cluster failing',
    );
  });
});
