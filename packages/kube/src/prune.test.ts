import { describe, expect, it } from 'vitest';
import { refsToPrune } from './prune.ts';

const ref = (apiVersion: string, kind: string, namespace: string, name: string) => ({
  apiVersion,
  kind,
  namespace,
  name,
});

describe('refsToPrune', () => {
  it.each([
    {
      name: 'what left the inventory',
      previous: [ref('v1', 'ConfigMap', 'a', 'x'), ref('v1', 'ConfigMap', 'a', 'y')],
      current: [ref('v1', 'ConfigMap', 'a', 'x')],
      expected: [ref('v1', 'ConfigMap', 'a', 'y')],
    },
    {
      name: 'nothing when only the apiVersion changed (same object)',
      previous: [ref('apps/v1beta2', 'Deployment', 'a', 'web')],
      current: [ref('apps/v1', 'Deployment', 'a', 'web')],
      expected: [],
    },
    {
      name: 'the same name in another namespace is another object',
      previous: [ref('v1', 'ConfigMap', 'a', 'x')],
      current: [ref('v1', 'ConfigMap', 'b', 'x')],
      expected: [ref('v1', 'ConfigMap', 'a', 'x')],
    },
    {
      name: 'the same kind name in another group is another object',
      previous: [ref('example.com/v1', 'Service', 'a', 'x')],
      current: [ref('v1', 'Service', 'a', 'x')],
      expected: [ref('example.com/v1', 'Service', 'a', 'x')],
    },
    {
      name: 'a duplicate in previous once',
      previous: [ref('v1', 'ConfigMap', 'a', 'y'), ref('v1', 'ConfigMap', 'a', 'y')],
      current: [],
      expected: [ref('v1', 'ConfigMap', 'a', 'y')],
    },
  ])('$name', ({ previous, current, expected }) => {
    expect(refsToPrune(previous, current)).toEqual(expected);
  });
});
