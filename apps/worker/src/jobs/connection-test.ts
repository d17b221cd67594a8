import { testStoredClusterConnection } from '@flotilla/core';
import { connectionTestJob } from '@flotilla/jobs';
import { defineJobHandler } from './define-job.ts';

/** "Test connection" on a stored cluster: the answer is the job's return value (no secret). */
export const connectionTest = defineJobHandler({
  contract: connectionTestJob,
  concurrency: () => 4,
  handle: (ctx, payload) => testStoredClusterConnection({ ctx, ...payload }),
});
