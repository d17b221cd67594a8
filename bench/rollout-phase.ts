import type { BenchSession } from './phases.ts';

/*
 * P1 through a progressive rollout: one commit of bundle b01 whose flotilla.yaml adds
 * `rolloutStrategy: { autoPartitionSize: <N/partitions>, maxUnavailable: 10% }`, i.e. Fleet's
 * automatic partitions in cluster-name order, at most 10 % of each partition (and of the fleet)
 * updating at a time, and a partition released once the previous one has no more than its
 * budget left to become Ready. Measured beside P1 (the same bundle, no strategy, same run):
 * commit -> all Ready, and the rollout's own overhead: for each partition after the first, the
 * time from the moment its predecessor was within budget (its (size - budget)th cluster Ready)
 * to the first deploy of the partition being queued.
 */

export interface RolloutPhaseInput {
  partitions: number;
  bundleId: string;
  sync: () => Promise<void>;
  waitForAllReady: (commit: string) => Promise<number>;
  p1Seconds: number | null;
}

export async function measureRollout(
  session: BenchSession,
  { partitions, bundleId, sync, waitForAllReady, p1Seconds }: RolloutPhaseInput,
): Promise<void> {
  const { clusters, fleetDb, repo } = session;
  const size = Math.ceil(clusters / partitions);
  // Fleet resolves a partition's maxUnavailable (the strategy's 10 %) against its own size.
  const budget = Math.max(1, Math.floor(size * 0.1));
  await session.measure(`P1 rollout (${partitions} partitions)`, async (details) => {
    const started = Date.now();
    const commit = await repo.changeBundles(
      'v-rollout',
      [0],
      `rolloutStrategy:\n  autoPartitionSize: ${size}\n  maxUnavailable: "10%"\n`,
    );
    await sync();
    details.observedSeconds = await waitForAllReady(commit);
    const rows = await fleetDb.rolloutTimes(commit, bundleId);
    const slices = Array.from({ length: Math.ceil(rows.length / size) }, (_, index) =>
      rows.slice(index * size, (index + 1) * size),
    );
    const perPartition = slices.map((members, index) => {
      const queued = members.flatMap((row) => (row.queuedAt === null ? [] : [row.queuedAt]));
      const ready = members
        .flatMap((row) => (row.readyAt === null ? [] : [row.readyAt]))
        .sort((left, right) => left - right);
      return {
        partition: index + 1,
        clusters: members.length,
        firstQueuedSeconds: queued.length ? (Math.min(...queued) - started) / 1000 : null,
        // The moment the partition was within its budget: the next one may start.
        withinBudgetSeconds:
          ready.length >= members.length - budget
            ? (ready[Math.max(0, members.length - budget - 1)]! - started) / 1000
            : null,
        lastReadySeconds: ready.length ? (ready[ready.length - 1]! - started) / 1000 : null,
      };
    });
    const handoffs = perPartition.slice(1).map((partition, index) => {
      const previous = perPartition[index]!;
      return partition.firstQueuedSeconds === null || previous.withinBudgetSeconds === null
        ? null
        : Math.max(0, partition.firstQueuedSeconds - previous.withinBudgetSeconds);
    });
    const measured = handoffs.filter((handoff): handoff is number => handoff !== null);
    const overhead = measured.reduce((sum, handoff) => sum + handoff, 0);
    const allReady = Math.max(...perPartition.map((partition) => partition.lastReadySeconds ?? 0));
    details.partitionSize = size;
    details.budgetPerPartition = budget;
    details.partitions = perPartition;
    details.handoffSeconds = handoffs;
    session.results.figures.push(
      {
        id: 'P1 rollout',
        what: `commit -> all ${clusters} clusters Ready through ${partitions} partitions, ${budget} clusters of each at a time`,
        value: Math.round(allReady * 10) / 10,
        unit: 's',
        target: '',
        isMet: null,
        ...(p1Seconds === null ? {} : { note: `P1 without a strategy, same run: ${p1Seconds} s` }),
      },
      {
        id: 'P1 rollout overhead',
        what: `time between a partition within budget and the next partition's first deploy, summed over ${measured.length} handoffs`,
        value: Math.round(overhead * 100) / 100,
        unit: 's',
        target: '',
        isMet: null,
      },
    );
  });
}
