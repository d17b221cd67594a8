import { hostname } from 'node:os';
import type { WorkerContext } from '@flotilla/core';
import { createRedis, jitteredBackoff, QUEUE_PREFIX } from '@flotilla/jobs';
import { UnrecoverableError, Worker } from 'bullmq';
import { JOB_DEFINITIONS } from './jobs/registry.ts';
import { runJob } from './metrics.ts';

/** This process among the fleet's workers: stored on each job it takes (job.processedBy). */
export const WORKER_NAME = `${hostname()}:${process.pid}`;

/** One BullMQ Worker per job definition, each on its own blocking connection. */
export async function startWorkers({
  ctx,
  redisUrl,
  deployConcurrency,
  jobLockMs = 30_000,
}: {
  ctx: WorkerContext;
  redisUrl: string;
  deployConcurrency: number;
  /**
   * BullMQ's lock on an active job, renewed every half of it while the job runs. Every worker
   * checks as often for jobs whose lock lapsed (their worker died) and takes them up again; a
   * job found stalled more than maxStalledCount times fails, and the sweeper re-derives it.
   */
  jobLockMs?: number;
}): Promise<Worker[]> {
  return JOB_DEFINITIONS.map((definition) => {
    const { contract } = definition;
    const worker = new Worker(
      contract.name,
      async (job) => {
        const payload = contract.schema.safeParse(job.data);
        if (!payload.success) {
          // A malformed payload will not get better by retrying.
          throw new UnrecoverableError(
            `invalid ${contract.name} payload: ${payload.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`,
          );
        }
        return runJob(
          { name: contract.name, payload: payload.data, jobId: job.id, logger: ctx.logger },
          () => definition.handle(ctx, payload.data, job),
        );
      },
      {
        connection: createRedis(redisUrl, { isBlocking: true }),
        prefix: QUEUE_PREFIX,
        name: WORKER_NAME,
        concurrency: definition.concurrency({ deployConcurrency }),
        lockDuration: jobLockMs,
        stalledInterval: jobLockMs,
        maxStalledCount: 2,
        settings: { backoffStrategy: (attemptsMade: number) => jitteredBackoff(attemptsMade) },
      },
    );
    worker.on('failed', (job, error) => {
      ctx.logger.warn(
        {
          job: contract.name,
          jobId: job?.id,
          attempt: job?.attemptsMade,
          correlationId: (job?.data as { correlationId?: unknown } | undefined)?.correlationId,
          err: error.message,
        },
        'job failed',
      );
    });
    // A job whose worker stopped renewing its lock (killed, or its event loop stuck): back to
    // the queue for any worker.
    worker.on('stalled', (jobId) =>
      ctx.logger.warn({ job: contract.name, jobId }, 'job stalled; queued again'),
    );
    worker.on('error', (error) =>
      ctx.logger.error({ job: contract.name, err: error.message }, 'worker error'),
    );
    return worker;
  });
}
