import { JOB_CONTRACTS, type JobName } from '@flotilla/jobs';
import type { CoreContext } from '../context.ts';

/** The job states worth a gauge; completed and failed jobs are removed (Postgres keeps outcomes). */
export const QUEUE_JOB_STATES = [
  'waiting',
  'prioritized',
  'active',
  'delayed',
  'waiting-children',
  'failed',
] as const;
export type QueueJobState = (typeof QUEUE_JOB_STATES)[number];

export interface QueueStats {
  queue: JobName;
  counts: Record<QueueJobState, number>;
  /** Seconds the oldest waiting job has been runnable; 0 when none waits. */
  oldestWaitingAgeSeconds: number;
}

/**
 * Depth and age of every queue, read from Redis when Prometheus scrapes. Age is what an
 * operator scales on: a deep queue that drains fast is fine, an old job is not.
 */
export async function readQueueStats({
  ctx,
}: {
  ctx: Pick<CoreContext, 'queues' | 'now'>;
}): Promise<QueueStats[]> {
  const now = ctx.now().getTime();
  return Promise.all(
    JOB_CONTRACTS.map(async ({ name }) => {
      const queue = ctx.queues.queue(name);
      const [counts, oldest] = await Promise.all([
        queue.getJobCounts(...QUEUE_JOB_STATES),
        // asc: the end of the wait list, i.e. the job queued first.
        queue.getJobs(['waiting'], 0, 0, true),
      ]);
      const job = oldest[0];
      // A delayed job waits only from the moment its delay ran out.
      const runnableSince = job ? job.timestamp + (job.opts.delay ?? 0) : now;
      return {
        queue: name,
        counts: Object.fromEntries(
          QUEUE_JOB_STATES.map((state) => [state, counts[state] ?? 0]),
        ) as Record<QueueJobState, number>,
        oldestWaitingAgeSeconds: Math.max(0, (now - runnableSince) / 1000),
      };
    }),
  );
}
