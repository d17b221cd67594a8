import type { RolloutHalt, RolloutStatus } from '@flotilla/engine';
import { z } from 'zod';

/** Bundle.rolloutStatus: the engine's RolloutStatus and the commit it was planned at. */
export interface StoredRolloutStatus extends RolloutStatus {
  commit: string | null;
}

export type StoredRolloutHalt = RolloutHalt;

/** Bundle.rolloutPromotion: the rollout of `commit` was promoted past its first `partitions`. */
export interface RolloutPromotion {
  commit: string;
  partitions: number;
}

const promotionSchema = z.object({ commit: z.string(), partitions: z.number().int().min(0) });

const statusSchema = z.object({
  commit: z.string().nullable(),
  partitions: z.array(
    z.object({
      name: z.string(),
      clusters: z.number(),
      // Absent from statuses stored before the panel drew cells.
      clusterIds: z.array(z.string()).default([]),
      upToDate: z.number(),
      done: z.number(),
      ready: z.number(),
      failing: z.number(),
      inProgress: z.number(),
      waiting: z.number(),
      isWaiting: z.boolean(),
      isPromoted: z.boolean(),
    }),
  ),
  halted: z
    .object({
      partition: z.number(),
      of: z.number(),
      name: z.string(),
      failing: z.array(
        z.object({ clusterId: z.string(), clusterName: z.string(), message: z.string() }),
      ),
    })
    .nullable(),
});

/** The stored status, or null when there is none (or it is of an older shape). */
export function storedRolloutStatus(column: unknown): StoredRolloutStatus | null {
  const parsed = statusSchema.safeParse(column);
  return parsed.success ? parsed.data : null;
}

export function storedRolloutPromotion(column: unknown): RolloutPromotion | null {
  const parsed = promotionSchema.safeParse(column);
  return parsed.success ? parsed.data : null;
}

/** How many partitions the rollout of `commit` was promoted past (0 for another commit's). */
export function promotedPartitionsFor(column: unknown, commit: string | null): number {
  const promotion = storedRolloutPromotion(column);
  return promotion && commit && promotion.commit === commit ? promotion.partitions : 0;
}

/** "Halted: partition 2 of 4, 3 clusters failing". */
export function rolloutHaltMessage(halted: RolloutHalt): string {
  const count = halted.failing.length;
  return `Halted: partition ${halted.partition} of ${halted.of}, ${count} ${count === 1 ? 'cluster' : 'clusters'} failing`;
}
