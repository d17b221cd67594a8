import { describe, expect, it } from 'vitest';
import type { ClusterGroupFacts } from '../types.ts';
import { resolveLimit, type IntOrPercent } from './limit.ts';
import type { RolloutStrategyLike } from './partition-deployments.ts';
import { planRollout, type RolloutDeployment } from './plan-rollout.ts';

type Shape = Partial<
  Pick<RolloutDeployment, 'isUpToDate' | 'isReady' | 'isDeploying' | 'isFailing'>
> & {
  labels?: Record<string, string>;
};

/** c1..cN, by default ready on the old revision (so out of date and available). */
function fleet(count: number, shape: (index: number) => Shape = () => ({})): RolloutDeployment[] {
  return Array.from({ length: count }, (_, index) => {
    const { labels = {}, ...state } = shape(index);
    const id = `c${index + 1}`;
    return {
      clusterId: id,
      cluster: { id, name: id, labels },
      isUpToDate: false,
      isReady: true,
      ...state,
    };
  });
}

const allowedIds = (
  strategy: RolloutStrategyLike | undefined,
  deployments: RolloutDeployment[],
  groups: ClusterGroupFacts[] = [],
) =>
  [...planRollout({ strategy, deployments, groups }).allowed].sort(
    (a, b) => Number(a.slice(1)) - Number(b.slice(1)),
  );

describe('planRollout without partitions', () => {
  // [description, strategy, deployments, allowed cluster ids]
  const cases: [string, RolloutStrategyLike | undefined, RolloutDeployment[], string[]][] = [
    ['no strategy: every cluster at once', undefined, fleet(5), ['c1', 'c2', 'c3', 'c4', 'c5']],
    [
      'up-to-date clusters are not released again',
      undefined,
      fleet(3, (i) => ({ isUpToDate: i === 1 })),
      ['c1', 'c3'],
    ],
    ['maxUnavailable 2', { maxUnavailable: 2 }, fleet(5), ['c1', 'c2']],
    ['maxUnavailable "2" as a string', { maxUnavailable: '2' }, fleet(5), ['c1', 'c2']],
    ['maxUnavailable 50% of 5 rounds down', { maxUnavailable: '50%' }, fleet(5), ['c1', 'c2']],
    ['maxUnavailable 10% of 5 is at least 1', { maxUnavailable: '10%' }, fleet(5), ['c1']],
    [
      'maxUnavailable 0: only clusters already unavailable',
      { maxUnavailable: 0 },
      fleet(4, (i) => ({ isReady: i !== 2 })),
      ['c3'],
    ],
    [
      'an unavailable cluster is released and uses up the budget',
      { maxUnavailable: 2 },
      fleet(5, (i) => ({ isReady: i !== 3 })),
      ['c1', 'c4'],
    ],
    [
      'clusters already deploying fill the budget',
      { maxUnavailable: 2 },
      fleet(5, (i) => ({ isDeploying: i >= 3 })),
      ['c4', 'c5'],
    ],
    [
      'an up-to-date cluster that is not ready fills the budget',
      { maxUnavailable: 1 },
      fleet(3, (i) => ({ isUpToDate: i === 0, isReady: i !== 0 })),
      [],
    ],
    [
      'new clusters (never deployed) are always released',
      { maxUnavailable: 1 },
      fleet(4, (i) => ({ isReady: i < 2 })),
      ['c3', 'c4'],
    ],
  ];

  it.each(cases)('%s', (_name, strategy, deployments, expected) => {
    expect(allowedIds(strategy, deployments)).toEqual(expected);
  });

  it('reports the limits it used', () => {
    const plan = planRollout({
      strategy: { maxUnavailable: '40%' },
      deployments: fleet(10),
      groups: [],
    });
    expect(plan.maxUnavailable).toBe(4);
    expect(plan.maxUnavailablePartitions).toBe(0);
    expect(plan.partitions.map((p) => [p.name, p.clusterIds.length])).toEqual([['All', 10]]);
  });

  it('with nothing to roll out, the single partition is done', () => {
    const plan = planRollout({
      strategy: undefined,
      deployments: fleet(2, () => ({ isUpToDate: true })),
      groups: [],
    });
    expect(plan.allowed.size).toBe(0);
    expect(plan.partitions[0]).toMatchObject({ isDone: true, unavailable: 0, isWaiting: false });
  });
});

describe('planRollout with automatic partitions', () => {
  it('keeps one partition below the threshold of 200 clusters', () => {
    const plan = planRollout({
      strategy: { maxUnavailable: '10%' },
      deployments: fleet(199),
      groups: [],
    });
    expect(plan.partitions).toHaveLength(1);
    expect(plan.allowed.size).toBe(19);
  });

  it('cuts 400 clusters into partitions of 25% and stops after the first still rolling', () => {
    const plan = planRollout({
      strategy: { maxUnavailable: '10%' },
      deployments: fleet(400),
      groups: [],
    });
    expect(plan.partitions.map((p) => p.name)).toEqual([
      'Partition 0 - 100',
      'Partition 100 - 200',
      'Partition 200 - 300',
      'Partition 300 - 400',
    ]);
    // 10% of the first partition (10 clusters) go; its 100 out-of-date clusters make it unavailable.
    expect(plan.allowed.size).toBe(10);
    expect([...plan.allowed].every((id) => Number(id.slice(1)) <= 10)).toBe(true);
    expect(plan.partitions.map((p) => p.isWaiting)).toEqual([false, true, true, true]);
  });

  it('moves on to the next partition once the first is within its budget', () => {
    const deployments = fleet(400, (i) => ({ isUpToDate: i < 95 }));
    const plan = planRollout({ strategy: { maxUnavailable: '10%' }, deployments, groups: [] });
    // Partition 1 has 5 left (within 10): all released; partition 2 gets its 10; then it waits.
    expect(plan.allowed.size).toBe(15);
    expect(plan.partitions.map((p) => p.isWaiting)).toEqual([false, false, true, true]);
  });

  it('honours autoPartitionSize, autoPartitionThreshold and maxUnavailablePartitions', () => {
    const strategy = {
      maxUnavailable: 1,
      autoPartitionSize: 2,
      autoPartitionThreshold: 4,
      maxUnavailablePartitions: 1,
    };
    const plan = planRollout({ strategy, deployments: fleet(6), groups: [] });
    expect(plan.partitions.map((p) => p.clusterIds)).toEqual([
      ['c1', 'c2'],
      ['c3', 'c4'],
      ['c5', 'c6'],
    ]);
    // The global budget of 1 is spent in the first partition; the second may still be reached.
    expect([...plan.allowed]).toEqual(['c1']);
    expect(plan.partitions.map((p) => p.isWaiting)).toEqual([false, false, true]);
  });

  it.each([[{ autoPartitionSize: 0 }], [{ autoPartitionThreshold: 0 }]])(
    '%j turns auto-partitioning off',
    (strategy) => {
      expect(
        planRollout({ strategy, deployments: fleet(300), groups: [] }).partitions,
      ).toHaveLength(1);
    },
  );
});

describe('planRollout with listed partitions', () => {
  const canaryFirst = (index: number): Shape => ({
    labels: { env: index < 2 ? 'canary' : 'prod', region: index % 2 ? 'us' : 'eu' },
  });
  const groups: ClusterGroupFacts[] = [
    { name: 'europe', labels: {}, selector: { matchLabels: { region: 'eu' } } },
  ];

  it('holds later partitions until the canary partition is within its budget', () => {
    const strategy: RolloutStrategyLike = {
      partitions: [
        { name: 'canary', clusterSelector: { matchLabels: { env: 'canary' } }, maxUnavailable: 1 },
        { name: 'prod', clusterSelector: {} },
      ],
    };
    const first = planRollout({ strategy, deployments: fleet(6, canaryFirst), groups });
    expect([...first.allowed]).toEqual(['c1']);
    expect(first.partitions.map((p) => [p.name, p.clusterIds, p.isWaiting])).toEqual([
      ['canary', ['c1', 'c2'], false],
      ['prod', ['c3', 'c4', 'c5', 'c6'], true],
    ]);

    // Next pass: c1 is done, so the canary has one cluster left, within its budget of 1.
    const second = planRollout({
      strategy,
      deployments: fleet(6, (i) => ({ ...canaryFirst(i), isUpToDate: i === 0 })),
      groups,
    });
    expect([...second.allowed]).toEqual(['c2', 'c3', 'c4', 'c5', 'c6']);
  });

  it('puts each cluster in the first partition that matches and unmatched ones at the end', () => {
    const strategy: RolloutStrategyLike = {
      partitions: [
        { name: 'eu', clusterGroup: 'europe' },
        { name: 'canary', clusterSelector: { matchLabels: { env: 'canary' } } },
        { name: 'empty', clusterName: 'nope' },
      ],
    };
    const plan = planRollout({ strategy, deployments: fleet(5, canaryFirst), groups });
    expect(plan.partitions.map((p) => [p.name, p.clusterIds])).toEqual([
      ['eu', ['c1', 'c3', 'c5']],
      ['canary', ['c2']],
      ['empty', []],
      ['Unpartitioned', ['c4']],
    ]);
    expect(plan.allowed.size).toBe(5);
  });

  it('a partition with no cluster fields matches no cluster, as a target would', () => {
    const plan = planRollout({
      strategy: { partitions: [{ name: 'nothing' }] },
      deployments: fleet(2),
      groups: [],
    });
    expect(plan.partitions.map((p) => [p.name, p.clusterIds])).toEqual([
      ['nothing', []],
      ['Unpartitioned', ['c1', 'c2']],
    ]);
  });
});

describe('resolveLimit (Fleet limit)', () => {
  const cases: [number, IntOrPercent | undefined, number][] = [
    [10, undefined, 10],
    [10, 3, 3],
    [10, 30, 10],
    [10, -1, 0],
    [10, '3', 3],
    [10, '25%', 2],
    [10, '0%', 1],
    [3, '33.5%', 1],
    [10, '100%', 10],
    [10, '150%', 10],
    [0, 5, 1],
  ];

  it.each(cases)('%i clusters, %j -> %i', (count, value, expected) => {
    expect(resolveLimit(count, value, '100%', 'rolloutStrategy.maxUnavailable')).toBe(expected);
  });

  it.each([['abc'], ['25 %'], [1.5], ['%']])('refuses %j, naming the field', (value) => {
    const run = () => resolveLimit(10, value, '100%', 'rolloutStrategy.maxUnavailable');
    expect(run).toThrow(
      expect.objectContaining({ code: 'OptionsInvalid', where: 'rolloutStrategy.maxUnavailable' }),
    );
  });

  it('planRollout reports an invalid partition budget by its path', () => {
    const strategy = { partitions: [{ name: 'a', clusterSelector: {}, maxUnavailable: 'lots' }] };
    expect(() => planRollout({ strategy, deployments: fleet(2), groups: [] })).toThrow(
      expect.objectContaining({ where: 'rolloutStrategy.partitions[0].maxUnavailable' }),
    );
  });
});

describe('planRollout halts on failing partitions', () => {
  // Four partitions of five clusters by label, one cluster of each released at a time.
  const strategy: RolloutStrategyLike = {
    maxUnavailablePartitions: 1,
    partitions: [1, 2, 3, 4].map((wave) => ({
      name: `wave-${wave}`,
      maxUnavailable: 1,
      clusterSelector: { matchLabels: { wave: String(wave) } },
    })),
  };
  const labels = (i: number) => ({ wave: String(Math.floor(i / 5) + 1) });
  /** Partition 1 done, c6 (partition 2) failed on the new revision, the rest on the old one. */
  const failedInWave2 = () =>
    fleet(20, (i) => ({
      labels: labels(i),
      isUpToDate: i < 5,
      ...(i === 5 ? { isReady: false, isDeploying: true, isFailing: true } : {}),
    })).map((deployment) =>
      deployment.clusterId === 'c6'
        ? { ...deployment, message: 'ErrApplied: rejected' }
        : deployment,
    );

  it('halts at the failing partition and holds later ones whatever maxUnavailablePartitions allows', () => {
    const plan = planRollout({ strategy, deployments: failedInWave2(), groups: [] });
    expect([...plan.allowed]).toEqual(['c6']);
    expect(plan.status.halted).toEqual({
      partition: 2,
      of: 4,
      name: 'wave-2',
      failing: [{ clusterId: 'c6', clusterName: 'c6', message: 'ErrApplied: rejected' }],
    });
    expect(plan.status.partitions.map((p) => [p.name, p.isWaiting, p.waiting, p.failing])).toEqual([
      ['wave-1', false, 0, 0],
      ['wave-2', false, 4, 1],
      ['wave-3', true, 5, 0],
      ['wave-4', true, 5, 0],
    ]);
    expect(plan.status.partitions[0]).toMatchObject({ clusters: 5, upToDate: 5, done: 5 });
  });

  it('without the halt, maxUnavailablePartitions 1 would release the next partition', () => {
    const deployments = failedInWave2().map((deployment) => ({ ...deployment, isFailing: false }));
    const plan = planRollout({ strategy, deployments, groups: [] });
    expect(plan.status.halted).toBeNull();
    expect([...plan.allowed].sort()).toEqual(['c11', 'c6']);
  });

  it('a promotion past the halted partition releases the rest of it and the next partition', () => {
    const plan = planRollout({
      strategy,
      deployments: failedInWave2(),
      groups: [],
      promotedPartitions: 2,
    });
    expect(plan.status.halted).toBeNull();
    expect(plan.status.partitions[1]).toMatchObject({ isPromoted: true, failing: 1 });
    // c6's failure no longer uses the budget: c7 goes, and wave-2 is not yet done, so with
    // maxUnavailablePartitions 1 the rollout reaches into wave-3 as well.
    expect([...plan.allowed].sort()).toEqual(['c11', 'c6', 'c7']);
  });

  it('a promotion of an earlier partition does not forgive a later failure', () => {
    const deployments = fleet(20, (i) => ({
      labels: labels(i),
      isUpToDate: i < 10,
      ...(i === 10 ? { isReady: false, isDeploying: true, isFailing: true } : {}),
    }));
    const plan = planRollout({ strategy, deployments, groups: [], promotedPartitions: 2 });
    expect(plan.status.halted).toMatchObject({ partition: 3, of: 4 });
    expect(plan.status.partitions[3]?.isWaiting).toBe(true);
  });

  it('failures under the budget do not halt; the last partition never halts', () => {
    const wide = {
      ...strategy,
      partitions: strategy.partitions?.map((partition) => ({ ...partition, maxUnavailable: 2 })),
    };
    const one = planRollout({ strategy: wide, deployments: failedInWave2(), groups: [] });
    expect(one.status.halted).toBeNull();
    const last = fleet(20, (i) => ({
      labels: labels(i),
      isUpToDate: i < 15,
      ...(i === 15 ? { isReady: false, isDeploying: true, isFailing: true } : {}),
    }));
    expect(planRollout({ strategy, deployments: last, groups: [] }).status.halted).toBeNull();
  });
});
