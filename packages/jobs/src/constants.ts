import type { JobsOptions } from 'bullmq';

/**
 * Retry and backoff for every job unless its contract says otherwise. Failed and completed
 * jobs are removed: Postgres keeps the outcome, and a kept job id would make BullMQ silently
 * ignore the next job with the same id (our ids de-duplicate work, see contracts/deploy.ts).
 */
export const DEFAULT_JOB_OPTIONS: Readonly<JobsOptions> = Object.freeze({
  attempts: 5,
  backoff: { type: 'flotilla-jitter', delay: 1000 },
  removeOnComplete: true,
  removeOnFail: true,
});

/** Capped, jittered exponential backoff: 1 s, 2 s, 4 s ... at most 60 s, each ±50 %. */
export function jitteredBackoff(attemptsMade: number, baseMs = 1000, capMs = 60_000): number {
  const exponential = Math.min(capMs, baseMs * 2 ** Math.max(0, attemptsMade - 1));
  return Math.round(exponential * (0.5 + Math.random()));
}

/** BullMQ refuses custom job ids that contain ":" or are integers. */
export function safeJobId(...parts: string[]): string {
  return parts.map((part) => part.replaceAll(':', '_')).join('-');
}
