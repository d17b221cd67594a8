import { describe, expect, it } from 'vitest';
import { builtinSchema } from './builtin-schemas.ts';
import type { JsonValue } from './json.ts';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch } from './patches.ts';

const deployment = builtinSchema('apps', 'v1', 'Deployment');

function containers(...list: JsonValue[]): JsonValue {
  return { spec: { template: { spec: { containers: list } } } };
}

describe('JSON merge patch', () => {
  it.each<[JsonValue, JsonValue, JsonValue]>([
    [{ a: 1, b: { c: 2 } }, { b: { d: 3 } }, { a: 1, b: { c: 2, d: 3 } }],
    [{ a: 1, b: 2 }, { b: null }, { a: 1 }],
    [{ list: [1, 2] }, { list: [3] }, { list: [3] }],
  ])('%j + %j = %j', (target, patch, expected) => {
    expect(applyMergePatch(target, patch)).toEqual(expected);
  });
});

describe('JSON patch', () => {
  it('adds, replaces, removes, moves and tests', () => {
    const result = applyJsonPatch({ a: 1, list: [1, 2], nested: { x: 'y' } }, [
      { op: 'add', path: '/list/-', value: 3 },
      { op: 'replace', path: '/a', value: 2 },
      { op: 'move', from: '/nested/x', path: '/moved' },
      { op: 'remove', path: '/list/0' },
      { op: 'test', path: '/a', value: 2 },
    ]);
    expect(result).toEqual({ a: 2, list: [2, 3], nested: {}, moved: 'y' });
  });

  it.each([
    [[{ op: 'test', path: '/a', value: 9 }]],
    [[{ op: 'remove', path: '/missing' }]],
    [[{ op: 'replace', path: '/nope/x', value: 1 }]],
  ])('rejects %j as the server does (422)', (operations) => {
    expect(() => applyJsonPatch({ a: 1 }, operations)).toThrow(
      'the server rejected our request due to an error in our request',
    );
  });
});

describe('strategic merge patch', () => {
  it('merges containers by name and appends new ones', () => {
    const live = containers(
      { name: 'web', image: 'nginx:1.19', ports: [{ containerPort: 80 }] },
      { name: 'log', image: 'busybox' },
    );
    const patched = applyStrategicMergePatch(
      live,
      containers({ name: 'log', image: 'busybox:2' }, { name: 'new', image: 'envoy' }),
      deployment,
    );
    expect(patched).toEqual(
      containers(
        { name: 'web', image: 'nginx:1.19', ports: [{ containerPort: 80 }] },
        { name: 'log', image: 'busybox:2' },
        { name: 'new', image: 'envoy' },
      ),
    );
  });

  it('deletes a list item with $patch: delete and replaces a map with $patch: replace', () => {
    const live = {
      metadata: { labels: { a: '1', b: '2' } },
      ...(containers({ name: 'web', image: 'x' }, { name: 'log', image: 'y' }) as object),
    };
    const patch = {
      metadata: { labels: { $patch: 'replace', c: '3' } },
      ...(containers({ name: 'log', $patch: 'delete' }) as object),
    };
    expect(applyStrategicMergePatch(live, patch, deployment)).toEqual({
      metadata: { labels: { c: '3' } },
      ...(containers({ name: 'web', image: 'x' }) as object),
    });
  });

  it('replaces lists without a merge key (atomic) and unions finalizers', () => {
    const live = {
      metadata: { finalizers: ['a'] },
      spec: { template: { spec: { tolerations: [{ key: 'x' }] } } },
    };
    const patch = {
      metadata: { finalizers: ['b'] },
      spec: { template: { spec: { tolerations: [{ key: 'y' }] } } },
    };
    expect(applyStrategicMergePatch(live, patch, deployment)).toEqual({
      metadata: { finalizers: ['a', 'b'] },
      spec: { template: { spec: { tolerations: [{ key: 'y' }] } } },
    });
  });
});
