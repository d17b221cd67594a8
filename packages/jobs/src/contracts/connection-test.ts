import { z } from 'zod';
import { DEFAULT_JOB_OPTIONS } from '../constants.ts';
import { defineJob } from './define.ts';
import { id } from './ids.ts';

/**
 * "Test connection" on a stored cluster's edit form, when no new token was typed: the worker
 * reaches the cluster with its stored token (opened only there) and the changed URL or CA,
 * saving nothing. The payload carries ids and those non-secret fields, never a token. The web
 * waits for the answer (JobQueues.requestAnswer), so the job is never retried.
 */
export const connectionTestJob = defineJob({
  name: 'connection-test',
  schema: z.object({
    clusterId: id,
    workspaceId: id,
    apiServerUrl: z.string().min(1).max(2048).optional(),
    /** null: test without the stored custom CA. */
    caData: z
      .string()
      .max(64 * 1024)
      .nullable()
      .optional(),
  }),
  options: {
    ...DEFAULT_JOB_OPTIONS,
    attempts: 1,
    removeOnComplete: { age: 120 },
    removeOnFail: { age: 120 },
  },
});
