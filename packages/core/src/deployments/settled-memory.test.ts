import type { KubeObject } from '@flotilla/engine';
import { BUNDLE_ID_LABEL } from '@flotilla/kube';
import { describe, expect, it } from 'vitest';
import type { WorkerContext } from '../worker-context.ts';
import {
  forgetSettled,
  isRememberedByMonitor,
  isSettledRow,
  isStillSettled,
  liveByBundle,
  rememberSettled,
  settledKey,
  type SettledInputs,
} from './settled-memory.ts';

function object(name: string, resourceVersion: string | undefined, bundleId = 'b1'): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name,
      namespace: 'ns',
      uid: `uid-${name}`,
      labels: { [BUNDLE_ID_LABEL]: bundleId },
      ...(resourceVersion === undefined ? {} : { resourceVersion }),
    },
  } as KubeObject;
}

function inputs(overrides: Partial<SettledInputs> = {}): SettledInputs {
  return {
    deployment: {
      id: 'd1',
      bundleId: 'b1',
      appliedHash: 'h1',
      desiredHash: 'h1',
      targetHash: 'h1',
      lastError: null,
      pruneConfirmedHash: null,
      state: 'Ready',
      message: 'Ready',
    },
    bundleKey: 'false|{}',
    live: [object('a', '10'), object('b', '11')],
    ...overrides,
  };
}

const READY = { state: 'Ready', message: 'Ready' };

describe('settled memory', () => {
  it('holds for the same inputs, whatever order the live objects were listed in', () => {
    const ctx = {} as WorkerContext;
    rememberSettled(ctx, inputs(), READY);
    expect(isStillSettled(ctx, inputs())).toBe(true);
    expect(isStillSettled(ctx, inputs({ live: [object('b', '11'), object('a', '10')] }))).toBe(
      true,
    );
  });

  it.each<[string, Partial<SettledInputs>]>([
    ['an object changed (new resourceVersion)', { live: [object('a', '10'), object('b', '12')] }],
    ['an object is gone', { live: [object('a', '10')] }],
    ['a kind could not be listed', { live: undefined }],
    ['the bundle was paused or its options changed', { bundleKey: 'true|{}' }],
    [
      'another revision was applied',
      { deployment: { ...inputs().deployment, appliedHash: 'h2', desiredHash: 'h2' } },
    ],
    [
      'the stored state is no longer Ready',
      { deployment: { ...inputs().deployment, state: 'Modified' } },
    ],
    ['the stored message differs', { deployment: { ...inputs().deployment, message: 'other' } }],
    ['a sync window now holds the cluster', { holdKey: 'held until 2026-12-07T18:00:00.000Z' }],
  ])('misses when %s', (_why, overrides) => {
    const ctx = {} as WorkerContext;
    rememberSettled(ctx, inputs(), READY);
    expect(isStillSettled(ctx, inputs(overrides))).toBe(false);
  });

  it('never remembers objects without a resourceVersion, and forgets on request', () => {
    const ctx = {} as WorkerContext;
    expect(settledKey(inputs({ live: [object('a', undefined)] }))).toBeNull();
    rememberSettled(ctx, inputs({ live: [object('a', undefined)] }), READY);
    expect(isStillSettled(ctx, inputs({ live: [object('a', undefined)] }))).toBe(false);
    rememberSettled(ctx, inputs(), READY);
    forgetSettled(ctx, 'd1');
    expect(isStillSettled(ctx, inputs())).toBe(false);
  });

  it('remembers a state other than Ready, and holds only while the row still says it', () => {
    const ctx = {} as WorkerContext;
    const waiting = {
      ...inputs().deployment,
      desiredHash: 'h2',
      state: 'OutOfSync' as const,
      message: 'OutOfSync: revision h2 waits for the rollout to reach this cluster',
    };
    rememberSettled(ctx, inputs({ deployment: waiting }), waiting);
    expect(isStillSettled(ctx, inputs({ deployment: waiting }))).toBe(true);
    // Another writer (the cluster went Offline, the deploy failed) changed the row: assess.
    expect(
      isStillSettled(
        ctx,
        inputs({ deployment: { ...waiting, state: 'Offline' as const, message: 'x' } }),
      ),
    ).toBe(false);
  });

  it.each([
    ['Ready, nothing drifted', 'Ready', { modified: 0, missing: 0 }, true, true],
    ['NotReady, still rolling out', 'NotReady', { modified: 0, missing: 0 }, false, true],
    ['OutOfSync, waiting for a deploy', 'OutOfSync', { modified: 0, missing: 0 }, false, true],
    ['Modified: a field was edited by hand', 'Modified', { modified: 1, missing: 0 }, false, false],
    ['Modified: an object is missing', 'Modified', { modified: 0, missing: 1 }, false, false],
    ['no counts at all', 'Ready', null, false, false],
  ])(
    '%s: an apply remembers it %s, a monitor pass %s',
    (_why, state, counts, byApply, byMonitor) => {
      expect(isSettledRow({ state, counts })).toBe(byApply);
      expect(isRememberedByMonitor({ state, counts })).toBe(byMonitor);
    },
  );

  it('groups live objects by their bundle label and ignores unlabelled ones', () => {
    const unlabelled = { ...object('x', '1'), metadata: { name: 'x', resourceVersion: '1' } };
    const grouped = liveByBundle([object('a', '1', 'b1'), object('b', '2', 'b2'), unlabelled]);
    expect([...grouped.keys()].sort()).toEqual(['b1', 'b2']);
    expect(grouped.get('b1')?.map((item) => item.metadata.name)).toEqual(['a']);
  });
});
