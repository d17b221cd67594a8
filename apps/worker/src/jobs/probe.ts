import { probeClusterConnectivity } from '@flotilla/core';
import { probeJob } from '@flotilla/jobs';
import { defineJobHandler } from './define-job.ts';

export const probe = defineJobHandler({
  contract: probeJob,
  concurrency: () => 16,
  handle: async (ctx, { clusterId }) => {
    const result = await probeClusterConnectivity({ ctx, clusterId });
    return result?.ok ? 'online' : (result?.reason ?? 'gone');
  },
});
