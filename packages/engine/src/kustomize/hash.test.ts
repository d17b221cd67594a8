import { describe, expect, it } from 'vitest';
import { contentHash, goJson } from './hash.ts';

// The expected suffixes are those of kustomize's own hasher tests (api/hasher/hasher_test.go).
describe('contentHash', () => {
  it.each([
    ['ConfigMap without data', { kind: 'ConfigMap' }, '6ct58987ht'],
    ['ConfigMap with one key', { kind: 'ConfigMap', data: { one: '' } }, '9g67k2htb6'],
    [
      'ConfigMap with three keys in any order',
      { kind: 'ConfigMap', data: { two: 2, one: '', three: 3 } },
      '7757f9kkct',
    ],
    ['ConfigMap with binaryData', { kind: 'ConfigMap', binaryData: { one: '' } }, '6mtk2m274t'],
    [
      'ConfigMap with data and binaryData',
      { kind: 'ConfigMap', data: { one: '' }, binaryData: { two: '' } },
      '698h7c7t9m',
    ],
    ['Secret without data', { kind: 'Secret', type: 'my-type' }, '5gmgkf8578'],
    ['Secret with one key', { kind: 'Secret', type: 'my-type', data: { one: '' } }, '74bd68bm66'],
    [
      'Secret with stringData',
      { kind: 'Secret', type: 'my-type', data: { one: '' }, stringData: { two: 2 } },
      'c4h4264gdb',
    ],
  ])('%s hashes to %s', (_name, object, expected) => {
    expect(contentHash({ apiVersion: 'v1', ...object })).toBe(expected);
  });

  it('depends on the data only, not on name, labels or annotations (as in kustomize)', () => {
    const base = { apiVersion: 'v1', kind: 'ConfigMap', data: { A: '1' } };
    // kubectl kustomize names a configMapGenerator {name: x, literals: [A=1]} x-89g4tffbfk.
    expect(contentHash({ ...base, metadata: { name: 'x' } })).toBe('89g4tffbfk');
    expect(contentHash({ ...base, metadata: { name: 'y', labels: { l: 'v' } } })).toBe(
      '89g4tffbfk',
    );
    expect(contentHash({ ...base, data: { A: '2' } })).not.toBe('89g4tffbfk');
  });
});

describe('goJson', () => {
  it('sorts keys and escapes HTML characters as Go does', () => {
    expect(goJson({ b: '<a&b>', a: [1, 'x\u2028'] })).toBe(
      '{"a":[1,"x\\u2028"],"b":"\\u003ca\\u0026b\\u003e"}',
    );
  });
});
