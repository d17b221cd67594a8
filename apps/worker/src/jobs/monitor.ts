import { monitorCluster } from '@flotilla/core';
import { monitorJob } from '@flotilla/jobs';
import { defineJobHandler } from './define-job.ts';

export const monitor = defineJobHandler({
  contract: monitorJob,
  concurrency: () => 8,
  handle: (ctx, { clusterId }) => monitorCluster({ ctx, clusterId }),
});
