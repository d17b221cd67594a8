import { describe, expect, it } from 'vitest';
import { ownerLabel, ownershipSelector, withOwnership } from './labels.ts';
import type { KubeObject } from './types.ts';

const ownership = { workspaceId: 'ws-1', bundleId: 'cm1x2y3z4' };

describe('withOwnership', () => {
  it('adds the three labels and keeps the object’s own, without touching the input', () => {
    const input: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'settings',
        labels: { app: 'shop', 'app.kubernetes.io/managed-by': 'Helm' },
      },
      data: { a: '1' },
    };
    const snapshot = structuredClone(input);

    const owned = withOwnership(input, ownership);

    expect(owned.metadata.labels).toEqual({
      app: 'shop',
      'app.kubernetes.io/managed-by': 'Helm',
      'flotilla.io/managed-by': 'flotilla',
      'flotilla.io/workspace-id': 'ws-1',
      'flotilla.io/bundle-id': 'cm1x2y3z4',
    });
    expect(owned.data).toEqual({ a: '1' });
    expect(input).toEqual(snapshot);
  });

  it('works on an object without labels', () => {
    const owned = withOwnership(
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } },
      ownership,
    );
    expect(owned.metadata.labels?.['flotilla.io/bundle-id']).toBe('cm1x2y3z4');
  });

  it.each(['', 'has space', 'x'.repeat(64), '-leading-dash'])(
    'refuses %j as an id (not a label value)',
    (bundleId) => {
      expect(() =>
        withOwnership(
          { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } },
          { ...ownership, bundleId },
        ),
      ).toThrow(/cannot be a Kubernetes label value/);
    },
  );
});

describe('selectors', () => {
  it('ownershipSelector selects one bundle of one workspace', () => {
    expect(ownershipSelector(ownership)).toBe(
      'flotilla.io/managed-by=flotilla,flotilla.io/workspace-id=ws-1,flotilla.io/bundle-id=cm1x2y3z4',
    );
  });

  it('ownerLabel is the bundle label prune checks', () => {
    expect(ownerLabel(ownership)).toEqual({ key: 'flotilla.io/bundle-id', value: 'cm1x2y3z4' });
  });
});
