import { z } from 'zod';
import { DEFAULT_JOB_OPTIONS, safeJobId } from '../constants.ts';
import { defineJob } from './define.ts';
import { id } from './ids.ts';

/** GET /version on a cluster and record its connectivity. */
export const probeJob = defineJob({
  name: 'probe',
  schema: z.object({ clusterId: id }),
  options: { ...DEFAULT_JOB_OPTIONS, attempts: 1 },
  jobId: ({ clusterId }) => safeJobId('probe', clusterId),
});
