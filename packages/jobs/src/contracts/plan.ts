import { z } from 'zod';
import { DEFAULT_JOB_OPTIONS, safeJobId } from '../constants.ts';
import { defineJob } from './define.ts';
import { id } from './ids.ts';

/** Match clusters for a bundle, upsert its deployments with their desired revision, queue deploys. */
export const planJob = defineJob({
  name: 'plan',
  schema: z.object({ bundleId: id }),
  options: DEFAULT_JOB_OPTIONS,
  jobId: ({ bundleId }) => safeJobId('plan', bundleId),
});
