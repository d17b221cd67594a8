import { describe, expect, it } from 'vitest';
import { EngineError } from '../errors.ts';
import type { KubeObject } from '../types.ts';
import {
  applyStrategicMergePatch,
  strategicMergePatch,
  type StrategicMergeOptions,
} from './strategic-merge.ts';

function deployment(spec: Record<string, unknown>, metadata: Record<string, unknown> = {}) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', ...metadata },
    spec,
  } as KubeObject;
}

function podSpec(spec: Record<string, unknown>): Record<string, unknown> {
  return { template: { spec } };
}

function patchPodSpec(spec: Record<string, unknown>): Record<string, unknown> {
  return { spec: podSpec(spec) };
}

function containersOf(object: KubeObject | null): unknown {
  return (object?.spec as { template: { spec: { containers: unknown } } }).template.spec.containers;
}

const twoContainers = deployment(
  podSpec({
    containers: [
      { name: 'a', image: 'a:1', args: ['x'] },
      { name: 'b', image: 'b:1' },
    ],
  }),
);

interface Case {
  name: string;
  target: KubeObject;
  patch: Record<string, unknown>;
  options?: StrategicMergeOptions;
  expected: unknown;
  pick?: (object: KubeObject | null) => unknown;
}

const cases: Case[] = [
  {
    name: 'merges maps recursively and adds new fields',
    target: deployment({ replicas: 1, strategy: { type: 'Recreate' } }, { labels: { a: '1' } }),
    patch: { metadata: { labels: { b: '2' } }, spec: { paused: true } },
    expected: deployment(
      { replicas: 1, strategy: { type: 'Recreate' }, paused: true },
      { labels: { a: '1', b: '2' } },
    ),
  },
  {
    name: 'null removes a key',
    target: deployment({ replicas: 1 }, { labels: { a: '1', b: '2' } }),
    patch: { metadata: { labels: { a: null } }, spec: { replicas: null } },
    expected: deployment({}, { labels: { b: '2' } }),
  },
  {
    name: 'containers merge by name, target order kept, new appended (target-first)',
    target: twoContainers,
    patch: patchPodSpec({
      containers: [
        { name: 'b', image: 'b:2' },
        { name: 'c', image: 'c:1' },
      ],
    }),
    expected: [
      { name: 'a', image: 'a:1', args: ['x'] },
      { name: 'b', image: 'b:2' },
      { name: 'c', image: 'c:1' },
    ],
    pick: containersOf,
  },
  {
    name: 'containers merge by name, patch elements first (patch-first, as kustomize)',
    target: twoContainers,
    patch: patchPodSpec({
      containers: [
        { name: 'b', image: 'b:2' },
        { name: 'c', image: 'c:1' },
      ],
    }),
    options: { listOrder: 'patch-first' },
    expected: [
      { name: 'b', image: 'b:2' },
      { name: 'c', image: 'c:1' },
      { name: 'a', image: 'a:1', args: ['x'] },
    ],
    pick: containersOf,
  },
  {
    name: 'a list without merge key (args) is replaced',
    target: twoContainers,
    patch: patchPodSpec({ containers: [{ name: 'a', args: ['y', 'z'] }] }),
    expected: [
      { name: 'a', image: 'a:1', args: ['y', 'z'] },
      { name: 'b', image: 'b:1' },
    ],
    pick: containersOf,
  },
  {
    name: 'env merges by name inside a merged container',
    target: deployment(podSpec({ containers: [{ name: 'a', env: [{ name: 'X', value: '1' }] }] })),
    patch: patchPodSpec({ containers: [{ name: 'a', env: [{ name: 'Y', value: '2' }] }] }),
    expected: [
      {
        name: 'a',
        env: [
          { name: 'X', value: '1' },
          { name: 'Y', value: '2' },
        ],
      },
    ],
    pick: containersOf,
  },
  {
    name: '$patch: delete on an element removes it',
    target: twoContainers,
    patch: patchPodSpec({ containers: [{ name: 'a', $patch: 'delete' }] }),
    expected: [{ name: 'b', image: 'b:1' }],
    pick: containersOf,
  },
  {
    name: '$patch: replace on a list replaces it',
    target: twoContainers,
    patch: patchPodSpec({ containers: [{ $patch: 'replace' }, { name: 'z', image: 'z:1' }] }),
    expected: [{ name: 'z', image: 'z:1' }],
    pick: containersOf,
  },
  {
    name: '$patch: replace on a map replaces it',
    target: deployment({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } }),
    patch: { spec: { strategy: { $patch: 'replace', type: 'Recreate' } } },
    expected: deployment({ strategy: { type: 'Recreate' } }),
  },
  {
    name: '$patch: delete on a map removes it',
    target: deployment({ replicas: 2, strategy: { type: 'Recreate' } }),
    patch: { spec: { strategy: { $patch: 'delete' } } },
    expected: deployment({ replicas: 2 }),
  },
  {
    name: 'finalizers (a merged list of scalars) are unioned',
    target: deployment({}, { finalizers: ['a', 'b'] }),
    patch: { metadata: { finalizers: ['c', 'a'] } },
    expected: ['a', 'b', 'c'],
    pick: (object) => object?.metadata.finalizers,
  },
  {
    name: '$deleteFromPrimitiveList removes scalars',
    target: deployment({}, { finalizers: ['a', 'b', 'c'] }),
    patch: { metadata: { '$deleteFromPrimitiveList/finalizers': ['b'] } },
    expected: ['a', 'c'],
    pick: (object) => object?.metadata.finalizers,
  },
  {
    name: '$setElementOrder reorders a merged list',
    target: twoContainers,
    patch: patchPodSpec({ '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }] }),
    expected: [
      { name: 'b', image: 'b:1' },
      { name: 'a', image: 'a:1', args: ['x'] },
    ],
    pick: containersOf,
  },
  {
    name: '$retainKeys keeps only the listed keys',
    target: deployment({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } }),
    patch: { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } },
    expected: deployment({ strategy: { type: 'Recreate' } }),
  },
  {
    name: 'Service ports merge by port and protocol',
    target: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 's' },
      spec: { ports: [{ port: 80, protocol: 'TCP', targetPort: 8080 }] },
    },
    patch: { spec: { ports: [{ port: 80, protocol: 'TCP', targetPort: 9090 }] } },
    expected: [{ port: 80, protocol: 'TCP', targetPort: 9090 }],
    pick: (object) => (object?.spec as { ports: unknown }).ports,
  },
  {
    name: 'lists of a kind without schema (a custom resource) are replaced',
    target: {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w' },
      spec: { containers: [{ name: 'a', image: 'a:1' }] },
    },
    patch: { spec: { containers: [{ name: 'b', image: 'b:1' }] } },
    expected: [{ name: 'b', image: 'b:1' }],
    pick: (object) => (object?.spec as { containers: unknown }).containers,
  },
];

describe('strategicMergePatch', () => {
  it.each(cases)('$name', ({ target, patch, options, expected, pick }) => {
    const result = applyStrategicMergePatch(target, patch, options);
    expect(pick ? pick(result) : result).toEqual(expected);
  });

  it('does not modify its inputs', () => {
    const target = structuredClone(twoContainers);
    const patch = patchPodSpec({ containers: [{ name: 'a', $patch: 'delete' }] });
    const patchCopy = structuredClone(patch);
    strategicMergePatch(target, patch);
    expect(target).toEqual(twoContainers);
    expect(patch).toEqual(patchCopy);
  });

  it('returns null when the patch deletes the whole object, and strategicMergePatch throws', () => {
    expect(applyStrategicMergePatch(twoContainers, { $patch: 'delete' })).toBeNull();
    expect(() => strategicMergePatch(twoContainers, { $patch: 'delete' })).toThrow(
      /deletes Deployment web entirely/,
    );
  });

  it.each([
    ['a map into a scalar', { spec: { replicas: { a: 1 } } }, /cannot merge a map into a number/],
    [
      'an unknown directive',
      { spec: { $patch: 'explode' } },
      /unknown \$patch directive "explode"/,
    ],
  ])('rejects %s with an EngineError naming the field', (_name, patch, message) => {
    const target = deployment({ replicas: 1 });
    expect(() => strategicMergePatch(target, patch, { code: 'KustomizeFailed' })).toThrow(message);
    try {
      strategicMergePatch(target, patch, { code: 'KustomizeFailed' });
    } catch (error) {
      expect(error).toBeInstanceOf(EngineError);
      expect((error as EngineError).code).toBe('KustomizeFailed');
      expect((error as EngineError).where).toMatch(/^\/spec/);
    }
  });
});
