import { z } from 'zod';
import { DEFAULT_JOB_OPTIONS, safeJobId } from '../constants.ts';
import { defineJob } from './define.ts';
import { id } from './ids.ts';

/** Read a cluster's live objects, compute health and drift for all its deployments. */
export const monitorJob = defineJob({
  name: 'monitor',
  schema: z.object({ clusterId: id }),
  options: { ...DEFAULT_JOB_OPTIONS, attempts: 1 },
  jobId: ({ clusterId }) => safeJobId('monitor', clusterId),
});
