import type { JobsOptions } from 'bullmq';
import type { z } from 'zod';

/**
 * A job's contract: its queue, the payload schema (parsed when the job is picked up, so a
 * malformed payload fails loudly instead of half-running), its options and how its id is made.
 * A payload carries ids, never secrets or manifests: the worker re-reads state from Postgres.
 */
export interface JobContract<Name extends string, Schema extends z.ZodType> {
  name: Name;
  schema: Schema;
  options: Readonly<JobsOptions>;
  /** Job id for de-duplication; undefined lets BullMQ pick one. */
  jobId?: (payload: z.infer<Schema>) => string;
}

export function defineJob<Name extends string, Schema extends z.ZodType>(
  contract: JobContract<Name, Schema>,
): JobContract<Name, Schema> {
  return Object.freeze(contract);
}
