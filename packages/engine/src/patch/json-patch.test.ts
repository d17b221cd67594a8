import { describe, expect, it } from 'vitest';
import { EngineError } from '../errors.ts';
import { applyJsonPatch } from './json-patch.ts';

const target = { metadata: { name: 'web', labels: { a: '1' } }, spec: { ports: [80, 443] } };

describe('applyJsonPatch', () => {
  it.each([
    [
      'add a label',
      [{ op: 'add', path: '/metadata/labels/b', value: '2' }],
      { ...target, metadata: { name: 'web', labels: { a: '1', b: '2' } } },
    ],
    [
      'append to a list',
      [{ op: 'add', path: '/spec/ports/-', value: 8080 }],
      { ...target, spec: { ports: [80, 443, 8080] } },
    ],
    [
      'replace then remove',
      [
        { op: 'replace', path: '/metadata/name', value: 'api' },
        { op: 'remove', path: '/spec/ports/0' },
      ],
      { metadata: { name: 'api', labels: { a: '1' } }, spec: { ports: [443] } },
    ],
    [
      'move, copy and a passing test',
      [
        { op: 'test', path: '/metadata/name', value: 'web' },
        { op: 'copy', from: '/metadata/name', path: '/metadata/labels/app' },
        { op: 'move', from: '/spec/ports', path: '/spec/targets' },
      ],
      { metadata: { name: 'web', labels: { a: '1', app: 'web' } }, spec: { targets: [80, 443] } },
    ],
  ])('%s', (_name, operations, expected) => {
    expect(applyJsonPatch(target, operations)).toEqual(expected);
    expect(target.spec.ports).toEqual([80, 443]);
  });

  it.each([
    [
      [
        { op: 'add', path: '/metadata/labels/b', value: '2' },
        { op: 'remove', path: '/metadata/annotations/x' },
      ],
      /operation 1 \(remove \/metadata\/annotations\/x\) failed: path does not exist/,
    ],
    [
      [{ op: 'test', path: '/metadata/name', value: 'api' }],
      /operation 0 \(test \/metadata\/name\) failed: test failed/,
    ],
    [[{ op: 'explode', path: '/a' }], /operation 0 \(explode \/a\) failed: op must be one of/],
    [
      [{ op: 'add', path: '/spec/missing/deeper', value: 1 }],
      /operation 0 \(add \/spec\/missing\/deeper\) failed/,
    ],
  ])('names the failing operation: %j', (operations, message) => {
    expect(() =>
      applyJsonPatch(target, operations, { code: 'KustomizeFailed', source: 'p.yaml' }),
    ).toThrow(message);
    try {
      applyJsonPatch(target, operations, { code: 'KustomizeFailed', source: 'p.yaml' });
    } catch (error) {
      expect(error).toBeInstanceOf(EngineError);
      expect((error as EngineError).code).toBe('KustomizeFailed');
      expect((error as EngineError).message).toContain('in p.yaml');
    }
  });

  it('stops copy operations that double the document past maxBytes', () => {
    const doubling = Array.from({ length: 30 }, (_, i) => ({
      op: 'copy',
      from: '/d',
      path: `/d/copy${i}`,
    }));
    const start = { d: { x: 'y'.repeat(100) } };
    expect(() => applyJsonPatch(start, doubling, { maxBytes: 10_000 })).toThrow(
      expect.objectContaining({ code: 'LimitExceeded' }),
    );
  });

  it('defaults to OverlayFailed', () => {
    expect(() => applyJsonPatch(target, [{ op: 'remove', path: '/x' }])).toThrow(
      expect.objectContaining({ code: 'OverlayFailed' }),
    );
  });
});
