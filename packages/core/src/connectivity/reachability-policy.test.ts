import type { ConnectivityState } from '@flotilla/db';
import type { ProbeResult } from '@flotilla/kube';
import { describe, expect, it } from 'vitest';
import {
  connectivityAfterFailure,
  isClusterFailure,
  isClusterReachable,
  probeBackoffMs,
} from './reachability-policy.ts';

describe('the cluster reachability policy', () => {
  it.each<[ConnectivityState, boolean]>([
    ['Online', true],
    ['Unknown', true],
    ['Offline', false],
  ])('%s is reachable: %s', (connectivity, isReachable) => {
    expect(isClusterReachable(connectivity)).toBe(isReachable);
  });

  const failure = (reason: string): ProbeResult =>
    ({ ok: false, reason, message: reason }) as ProbeResult;
  it.each<[string, boolean]>([
    ['Unreachable', true],
    ['Timeout', true],
    ['CredentialsRejected', true],
    ['TlsError', true],
    ['Forbidden', true],
    ['Error', false],
  ])('a failed probe for %s says the cluster is down: %s', (reason, isDown) => {
    expect(isClusterFailure(failure(reason))).toBe(isDown);
  });

  // [reason, failures in a row, connectivity before, after]
  it.each<[string, number, ConnectivityState, ConnectivityState]>([
    ['Unreachable', 1, 'Online', 'Online'],
    ['Unreachable', 2, 'Unknown', 'Unknown'],
    ['Unreachable', 3, 'Online', 'Offline'],
    ['CredentialsRejected', 1, 'Online', 'Offline'],
    ['TlsError', 1, 'Unknown', 'Offline'],
  ])('%s, failure %i: %s becomes %s', (reason, failures, current, next) => {
    expect(connectivityAfterFailure({ current, failures, reason, offlineAfterFailures: 3 })).toBe(
      next,
    );
  });

  it('backs off from one second, doubling, up to the cap', () => {
    expect([1, 2, 3, 10, 60].map((failures) => probeBackoffMs(failures, 60_000))).toEqual([
      1000, 2000, 4000, 60_000, 60_000,
    ]);
  });
});
