import type { Redis } from 'ioredis';

/**
 * Counters the benchmarks and tests read to show work that did or did not happen (renders per
 * distinct input). Kept in Redis so every worker process adds to the same number.
 */
export const RENDER_COUNTER_KEY = 'flotilla:metrics:renders';

export async function countRender(redis: Redis): Promise<void> {
  await redis.incr(RENDER_COUNTER_KEY);
}

export async function renderCount(redis: Redis): Promise<number> {
  return Number((await redis.get(RENDER_COUNTER_KEY)) ?? 0);
}
