import { readDeploymentLive } from '@flotilla/core';
import { liveReadJob } from '@flotilla/jobs';
import { defineJobHandler } from './define-job.ts';

/** The dashboard's on-demand live read: the answer is the job's return value (masked). */
export const liveRead = defineJobHandler({
  contract: liveReadJob,
  concurrency: () => 4,
  handle: (ctx, { deploymentId, workspaceId, request }) =>
    readDeploymentLive({ ctx, deploymentId, workspaceId, request }),
});
