import { describe, expect, it } from 'vitest';
import { describeTarget, nameList, targetsImpact } from './targets-impact.ts';

const a = { id: '1', name: 'alpha' };
const b = { id: '2', name: 'bravo' };
const c = { id: '3', name: 'charlie' };

describe('targetsImpact', () => {
  it.each([
    ['nothing changes', [a, b], [b, a], [], []],
    ['a narrower selector loses clusters', [a, b, c], [a], [], [b, c]],
    ['a wider selector gains clusters', [a], [c, a, b], [b, c], []],
    ['a swap gains one and loses one', [a, b], [b, c], [c], [a]],
    ['no targets yet gains everything', [], [b, a], [a, b], []],
  ])('%s', (_, before, after, gained, lost) => {
    expect(targetsImpact(before, after)).toEqual({ gained, lost });
  });
});

describe('nameList', () => {
  it.each([
    [[a], 'alpha'],
    [[a, b], 'alpha and bravo'],
    [[a, b, c], 'alpha, bravo and charlie'],
  ])('names %#', (clusters, text) => {
    expect(nameList(clusters)).toBe(text);
  });

  it('says how many more past the limit', () => {
    expect(nameList([a, b, c], 2)).toBe('alpha, bravo and 1 more');
  });
});

describe('describeTarget', () => {
  it.each([
    [{}, 'Fill in at least one field: an empty target selects no cluster.'],
    [{ clusterSelector: 'env=prod' }, 'Selects a cluster that has labels matching env=prod.'],
    [{ clusterSelector: {} }, 'Selects every cluster.'],
    [{ clusterSelector: {}, clusterName: 'eu-1' }, 'Selects a cluster that is named "eu-1".'],
    [
      { clusterName: 'eu-1', clusterGroup: 'europe' },
      'Selects a cluster only if it is named "eu-1" and is in the cluster group "europe" (all must hold).',
    ],
    [
      { clusterSelector: 'tier=gold', clusterGroupSelector: 'region=eu' },
      'Selects a cluster only if it has labels matching tier=gold and is in a cluster group labelled region=eu (all must hold).',
    ],
  ])('%j', (target, text) => {
    expect(describeTarget(target)).toBe(text);
  });
});
