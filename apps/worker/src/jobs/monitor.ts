import { monitorCluster } from '@flotilla/core';
import { monitorJob } from '@flotilla/jobs';
import { countMonitored } from '../metrics.ts';
import { defineJobHandler } from './define-job.ts';

export const monitor = defineJobHandler({
  contract: monitorJob,
  concurrency: () => 8,
  handle: async (ctx, { clusterId }) => {
    const outcome = await monitorCluster({ ctx, clusterId });
    countMonitored(outcome);
    return outcome;
  },
});
