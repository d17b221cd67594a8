import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { DeployOptions } from '../options/index.ts';
import type { KubeObject } from '../types.ts';
import { canonicalJson } from './canonical-json.ts';
import { revisionHash } from './revision-hash.ts';

describe('canonicalJson', () => {
  it.each<[string, unknown, string]>([
    [
      'sorts keys at every level',
      { b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } },
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    ],
    ['keeps list order', [3, 1, 2], '[3,1,2]'],
    ['writes strings as JSON does', { 'a"b': 'line\nbreak ünï' }, '{"a\\"b":"line\\nbreak ünï"}'],
    ['drops undefined members like JSON.stringify', { a: undefined, b: false }, '{"b":false}'],
    ['writes undefined list items as null like JSON.stringify', [undefined, 0], '[null,0]'],
  ])('%s', (_rule, value, text) => {
    expect(canonicalJson(value)).toBe(text);
  });

  it('gives the same text whatever order the keys were written in', () => {
    expect(
      canonicalJson({
        kind: 'A',
        apiVersion: 'v1',
        metadata: { name: 'x', labels: { b: '2', a: '1' } },
      }),
    ).toBe(
      canonicalJson({
        metadata: { labels: { a: '1', b: '2' }, name: 'x' },
        apiVersion: 'v1',
        kind: 'A',
      }),
    );
  });

  it.each<[string, unknown]>([
    ['NaN', { a: Number.NaN }],
    ['Infinity', [Number.POSITIVE_INFINITY]],
    ['a bigint', { a: 1n }],
    ['a function', { a: () => 1 }],
  ])('refuses %s rather than hashing something else', (_case, value) => {
    expect(() => canonicalJson(value)).toThrow(TypeError);
  });

  it('refuses a cyclic value but accepts a shared one', () => {
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"x":1},"b":{"x":1}}');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(/cyclic/);
  });
});

describe('revisionHash', () => {
  const deployment: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'prod' },
    spec: { replicas: 2 },
  };
  const deployOptions: DeployOptions = {
    namespace: 'prod',
    overlays: [],
    comparePatches: [],
    correctDrift: { enabled: false, force: false, keepFailHistory: false },
    keepResources: false,
  };

  it('is the sha256 hex of the sorted, whitespace-free JSON of objects and options', () => {
    const text =
      '{"deployOptions":{"comparePatches":[],"correctDrift":{"enabled":false,"force":false,"keepFailHistory":false},' +
      '"keepResources":false,"namespace":"prod","overlays":[]},"objects":[{"apiVersion":"apps/v1",' +
      '"kind":"Deployment","metadata":{"name":"web","namespace":"prod"},"spec":{"replicas":2}}]}';
    const expected = createHash('sha256').update(text).digest('hex');
    expect(revisionHash({ objects: [deployment], deployOptions })).toBe(expected);
  });

  it('ignores key order but not content', () => {
    const reordered = JSON.parse(
      JSON.stringify({
        spec: deployment.spec,
        metadata: deployment.metadata,
        kind: 'Deployment',
        apiVersion: 'apps/v1',
      }),
    ) as KubeObject;
    const base = revisionHash({ objects: [deployment], deployOptions });
    expect(revisionHash({ objects: [reordered], deployOptions })).toBe(base);
    expect(
      revisionHash({ objects: [{ ...deployment, spec: { replicas: 3 } }], deployOptions }),
    ).not.toBe(base);
  });

  it('changes with any deploy option, drift settings included', () => {
    const base = revisionHash({ objects: [deployment], deployOptions });
    const changed: DeployOptions[] = [
      { ...deployOptions, keepResources: true },
      { ...deployOptions, correctDrift: { ...deployOptions.correctDrift, enabled: true } },
      {
        ...deployOptions,
        comparePatches: [{ kind: 'Deployment', jsonPointers: ['/spec/replicas'] }],
      },
    ];
    for (const options of changed)
      expect(revisionHash({ objects: [deployment], deployOptions: options })).not.toBe(base);
  });
});
