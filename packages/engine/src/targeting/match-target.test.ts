import { describe, expect, it } from 'vitest';
import type { ClusterFacts, ClusterGroupFacts } from '../types.ts';
import {
  clusterGroupsOf,
  groupMembers,
  matchTarget,
  targetSelectsThroughGroup,
  type TargetLike,
} from './match-target.ts';
import { firstMatchingTarget, selectTargetedClusters } from './select-targets.ts';

const euProd: ClusterFacts = { id: 'c1', name: 'eu-prod', labels: { env: 'prod', region: 'eu' } };
const usProd: ClusterFacts = { id: 'c2', name: 'us-prod', labels: { env: 'prod', region: 'us' } };
const euTest: ClusterFacts = { id: 'c3', name: 'eu-test', labels: { env: 'test', region: 'eu' } };
const bare: ClusterFacts = { id: 'c4', name: 'bare', labels: {} };
const clusters = [euProd, usProd, euTest, bare];

const europe: ClusterGroupFacts = {
  name: 'europe',
  labels: { tier: 'gold' },
  selector: { matchLabels: { region: 'eu' } },
};
const production: ClusterGroupFacts = {
  name: 'production',
  labels: { tier: 'silver' },
  selector: { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod'] }] },
};
const groups = [europe, production];

describe('matchTarget', () => {
  // [description, target, cluster, expected]
  const cases: [string, TargetLike, ClusterFacts, boolean][] = [
    ['a target with no field matches nothing', {}, euProd, false],
    ['a target with only a name matches nothing', { name: 'all' }, euProd, false],
    [
      'empty strings and nulls are absent fields',
      { clusterName: '', clusterGroup: '', clusterSelector: null },
      euProd,
      false,
    ],
    ['clusterName equal', { clusterName: 'eu-prod' }, euProd, true],
    ['clusterName different', { clusterName: 'eu-prod' }, usProd, false],
    ['empty clusterSelector matches all', { clusterSelector: {} }, bare, true],
    [
      'clusterSelector matches labels',
      { clusterSelector: { matchLabels: { env: 'prod' } } },
      usProd,
      true,
    ],
    [
      'clusterSelector does not match',
      { clusterSelector: { matchLabels: { env: 'prod' } } },
      euTest,
      false,
    ],
    ['clusterGroup the cluster is in', { clusterGroup: 'europe' }, euTest, true],
    ['clusterGroup the cluster is not in', { clusterGroup: 'europe' }, usProd, false],
    ['clusterGroup that does not exist', { clusterGroup: 'asia' }, euProd, false],
    [
      'clusterGroupSelector over a group of the cluster',
      {
        clusterGroupSelector: { matchLabels: { tier: 'silver' } },
      },
      usProd,
      true,
    ],
    [
      'clusterGroupSelector over groups the cluster is not in',
      {
        clusterGroupSelector: { matchLabels: { tier: 'gold' } },
      },
      usProd,
      false,
    ],
    ['empty clusterGroupSelector needs some group', { clusterGroupSelector: {} }, euTest, true],
    [
      'empty clusterGroupSelector: a cluster in no group',
      { clusterGroupSelector: {} },
      bare,
      false,
    ],
    [
      'clusterName AND clusterSelector both hold',
      {
        clusterName: 'eu-prod',
        clusterSelector: { matchLabels: { env: 'prod' } },
      },
      euProd,
      true,
    ],
    [
      'clusterName AND clusterSelector: selector fails',
      {
        clusterName: 'eu-test',
        clusterSelector: { matchLabels: { env: 'prod' } },
      },
      euTest,
      false,
    ],
    [
      'clusterGroup AND clusterSelector',
      {
        clusterGroup: 'europe',
        clusterSelector: { matchLabels: { env: 'test' } },
      },
      euTest,
      true,
    ],
    [
      'clusterGroup AND clusterSelector: other cluster of the group',
      {
        clusterGroup: 'europe',
        clusterSelector: { matchLabels: { env: 'test' } },
      },
      euProd,
      false,
    ],
    // eu-prod is in both groups, but the group named "production" has tier=silver, not gold.
    [
      'clusterGroup and clusterGroupSelector must hold for the same group',
      {
        clusterGroup: 'production',
        clusterGroupSelector: { matchLabels: { tier: 'gold' } },
      },
      euProd,
      false,
    ],
    [
      'clusterGroup and clusterGroupSelector on one group',
      {
        clusterGroup: 'europe',
        clusterGroupSelector: { matchLabels: { tier: 'gold' } },
      },
      euProd,
      true,
    ],
  ];

  it.each(cases)('%s', (_name, target, cluster, expected) => {
    expect(matchTarget(target, cluster, groups)).toBe(expected);
  });
});

describe('firstMatchingTarget', () => {
  const targets: TargetLike[] = [
    { name: 'canary', clusterName: 'eu-test' },
    { name: 'skip-us', clusterSelector: { matchLabels: { region: 'us' } }, doNotDeploy: true },
    { name: 'prod', clusterGroup: 'production' },
    { name: 'europe', clusterGroup: 'europe' },
  ];

  const cases: [ClusterFacts, string | undefined, number | undefined, boolean | undefined][] = [
    [euTest, 'canary', 0, false],
    [usProd, 'skip-us', 1, true],
    [euProd, 'prod', 2, false],
    [bare, undefined, undefined, undefined],
  ];

  it.each(cases)('%o picks %s', (cluster, name, index, doNotDeploy) => {
    const match = firstMatchingTarget(targets, cluster, groups);
    expect(match?.target.name).toBe(name);
    expect(match?.index).toBe(index);
    expect(match?.doNotDeploy).toBe(doNotDeploy);
  });

  it('the first match wins even when a later target is more specific', () => {
    const match = firstMatchingTarget(
      [
        { name: 'all', clusterSelector: {} },
        { name: 'exact', clusterName: 'eu-prod' },
      ],
      euProd,
      groups,
    );
    expect(match?.target.name).toBe('all');
  });
});

describe('selectTargetedClusters', () => {
  it('lists each matched cluster once with the first target that matched it', () => {
    const targets: TargetLike[] = [
      { name: 'tests', clusterSelector: { matchLabels: { env: 'test' } } },
      { name: 'europe', clusterGroup: 'europe' },
      {
        name: 'gold-or-silver',
        clusterGroupSelector: { matchExpressions: [{ key: 'tier', operator: 'Exists' }] },
      },
    ];
    const selected = selectTargetedClusters(targets, clusters, groups);
    expect(selected.map(({ cluster, index }) => [cluster.name, index])).toEqual([
      ['eu-prod', 1],
      ['us-prod', 2],
      ['eu-test', 0],
    ]);
  });

  it('selects nothing without targets', () => {
    expect(selectTargetedClusters([], clusters, groups)).toEqual([]);
  });
});

describe('cluster groups', () => {
  it('groupMembers lists the clusters the group selector matches', () => {
    expect(groupMembers(europe, clusters).map((c) => c.name)).toEqual(['eu-prod', 'eu-test']);
    expect(groupMembers({ name: 'all', labels: {}, selector: {} }, clusters)).toHaveLength(4);
  });

  it('clusterGroupsOf lists the groups a cluster is in', () => {
    expect(clusterGroupsOf(euProd, groups).map((g) => g.name)).toEqual(['europe', 'production']);
    expect(clusterGroupsOf(bare, groups)).toEqual([]);
  });
});

describe('targetSelectsThroughGroup', () => {
  // [description, target, group, expected]
  const cases: [string, TargetLike, ClusterGroupFacts, boolean][] = [
    ['a target without group fields does not', { clusterSelector: {} }, europe, false],
    ['naming the group does', { clusterGroup: 'europe' }, europe, true],
    ['naming another group does not', { clusterGroup: 'production' }, europe, false],
    [
      'a group selector on its labels does',
      { clusterGroupSelector: { matchLabels: { tier: 'gold' } } },
      europe,
      true,
    ],
    [
      'a group selector on other labels does not',
      { clusterGroupSelector: { matchLabels: { tier: 'gold' } } },
      production,
      false,
    ],
    [
      'name and selector must both hold',
      { clusterGroup: 'europe', clusterGroupSelector: { matchLabels: { tier: 'silver' } } },
      europe,
      false,
    ],
    [
      'other fields do not stop it',
      { clusterGroup: 'europe', clusterName: 'eu-prod' },
      europe,
      true,
    ],
  ];
  it.each(cases)('%s', (_, target, group, expected) => {
    expect(targetSelectsThroughGroup(target, group)).toBe(expected);
  });
});
