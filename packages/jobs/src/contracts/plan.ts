import { z } from 'zod';
import { DEFAULT_JOB_OPTIONS } from '../constants.ts';
import { correlationId } from '../correlation.ts';
import { defineJob } from './define.ts';
import { id } from './ids.ts';

/**
 * Match clusters for a bundle, upsert its deployments with their desired revision, queue deploys.
 * No custom job id on purpose: BullMQ ignores a job whose id is still held by a *running* job,
 * so de-duplicating plans would lose a label change made while a plan runs. Plans are
 * idempotent and contact no cluster, so running one twice costs little.
 */
export const planJob = defineJob({
  name: 'plan',
  schema: z.object({ bundleId: id, correlationId: correlationId.optional() }),
  options: DEFAULT_JOB_OPTIONS,
});
