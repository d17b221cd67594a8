import { describe, expect, it } from 'vitest';
import { changedBundlesFirst } from './changed-bundles-first.ts';

const bundle = (path: string, optionsFile = '') => ({ path, optionsFile });

describe('changedBundlesFirst', () => {
  const bundles = [
    bundle('apps/a'),
    bundle('apps/b'),
    bundle('apps/bb'),
    bundle('infra', 'infra/prod.yaml'),
    bundle('shared', 'fleet-prod.yaml'),
  ];

  it.each([
    {
      what: 'a file in one folder puts that bundle first, the rest in their order',
      changed: ['apps/b/deployment.yaml'],
      expected: ['apps/b', 'apps/a', 'apps/bb', 'infra', 'shared'],
    },
    {
      what: 'a folder is a whole path segment: apps/b is not apps/bb',
      changed: ['apps/bb/values.yaml'],
      expected: ['apps/bb', 'apps/a', 'apps/b', 'infra', 'shared'],
    },
    {
      what: 'an options file named from the root or from the folder counts',
      changed: ['infra/prod.yaml', 'shared/fleet-prod.yaml'],
      expected: ['infra', 'shared', 'apps/a', 'apps/b', 'apps/bb'],
    },
    {
      what: 'a file in no bundle changes no order',
      changed: ['README.md'],
      expected: ['apps/a', 'apps/b', 'apps/bb', 'infra', 'shared'],
    },
    {
      what: 'several changed bundles keep their own order',
      changed: ['shared/x.yaml', 'apps/a/kustomization.yaml'],
      expected: ['apps/a', 'shared', 'apps/b', 'apps/bb', 'infra'],
    },
  ])('$what', ({ changed, expected }) => {
    expect(changedBundlesFirst(bundles, changed).map((b) => b.path)).toEqual(expected);
  });

  it('keeps the order when the changed paths are unknown, and a root bundle always counts', () => {
    expect(changedBundlesFirst(bundles, undefined)).toEqual(bundles);
    const root = bundle('');
    expect(changedBundlesFirst([bundles[0]!, root], ['anything.yaml'])).toEqual([root, bundles[0]]);
  });
});
