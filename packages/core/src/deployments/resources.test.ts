import { describe, expect, it } from 'vitest';
import { storedCounts, storedInventory, storedResources } from './resources.ts';

const ref = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'app' };

describe('the JSON-column decoders of a deployment', () => {
  it('keeps well-formed inventory entries and leaves out the rest', () => {
    expect(
      storedInventory([
        ref,
        { ...ref, name: '' },
        { kind: 'Secret' },
        'text',
        null,
        { ...ref, name: 'b' },
      ]),
    ).toEqual([ref, { ...ref, name: 'b' }]);
  });

  it.each([null, {}, 'x', 3])('reads %j as an empty inventory', (value) => {
    expect(storedInventory(value)).toEqual([]);
  });

  it('keeps resources with a known health and drops ones with an unknown one', () => {
    const resource = {
      ...ref,
      health: 'Healthy',
      healthMessage: '',
      modified: false,
      missing: false,
      driftPaths: [],
    };
    expect(storedResources([resource, { ...resource, health: 'Fine' }])).toEqual([resource]);
  });

  it('reads counts, or nothing when they are malformed', () => {
    expect(storedCounts({ total: 2, ready: 1 })).toEqual({ total: 2, ready: 1 });
    expect(storedCounts({ total: 'two' })).toEqual({});
  });
});
