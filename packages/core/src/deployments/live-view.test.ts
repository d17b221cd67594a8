import type { KubeObject } from '@flotilla/engine';
import { describe, expect, it } from 'vitest';
import { liveViewRefs, MAX_LIVE_OBJECTS } from './live-view.ts';

const object = (apiVersion: string, kind: string, name: string): KubeObject => ({
  apiVersion,
  kind,
  metadata: { name, namespace: 'shop' },
});

describe('liveViewRefs', () => {
  it('covers the desired objects, then what the last apply left, each object once by API group', () => {
    const { refs, isTruncated } = liveViewRefs({
      desired: [object('apps/v1', 'Deployment', 'web'), object('v1', 'Secret', 'db')],
      inventory: [
        { apiVersion: 'apps/v1beta2', kind: 'Deployment', namespace: 'shop', name: 'web' },
        { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'old-settings' },
      ],
    });
    expect(refs.map((ref) => `${ref.apiVersion} ${ref.kind} ${ref.name}`)).toEqual([
      'apps/v1 Deployment web',
      'v1 Secret db',
      'v1 ConfigMap old-settings',
    ]);
    expect(isTruncated).toBe(false);
  });

  it(`reads at most ${MAX_LIVE_OBJECTS} objects and says it cut the rest`, () => {
    const desired = Array.from({ length: MAX_LIVE_OBJECTS + 1 }, (_, index) =>
      object('v1', 'ConfigMap', `c${index}`),
    );
    const { refs, isTruncated } = liveViewRefs({ desired, inventory: [] });
    expect(refs).toHaveLength(MAX_LIVE_OBJECTS);
    expect(isTruncated).toBe(true);
  });
});
