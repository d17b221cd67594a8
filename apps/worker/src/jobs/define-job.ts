import type { WorkerContext } from '@flotilla/core';
import type { JobContract } from '@flotilla/jobs';
import type { Job } from 'bullmq';
import type { z } from 'zod';

/**
 * A job as the worker runs it: the contract from @flotilla/jobs (name, schema, options) plus
 * the handler and how many may run at once. The payload is parsed before `handle` sees it.
 */
export interface JobDefinition<Schema extends z.ZodType = z.ZodType> {
  contract: JobContract<string, Schema>;
  concurrency: (settings: { deployConcurrency: number }) => number;
  handle: (ctx: WorkerContext, payload: z.infer<Schema>, job: Job) => Promise<unknown>;
}

export function defineJobHandler<Schema extends z.ZodType>(
  definition: JobDefinition<Schema>,
): JobDefinition<Schema> {
  return definition;
}
