import type { WorkerContext } from '@flotilla/core';
import { createRedis, jitteredBackoff, QUEUE_PREFIX } from '@flotilla/jobs';
import { UnrecoverableError, Worker } from 'bullmq';
import { JOB_DEFINITIONS } from './jobs/registry.ts';
import { runJob } from './metrics.ts';

/** One BullMQ Worker per job definition, each on its own blocking connection. */
export async function startWorkers({
  ctx,
  redisUrl,
  deployConcurrency,
}: {
  ctx: WorkerContext;
  redisUrl: string;
  deployConcurrency: number;
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
        concurrency: definition.concurrency({ deployConcurrency }),
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
    worker.on('error', (error) =>
      ctx.logger.error({ job: contract.name, err: error.message }, 'worker error'),
    );
    return worker;
  });
}
