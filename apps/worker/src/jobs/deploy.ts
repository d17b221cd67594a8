import { deployDeployment } from '@flotilla/core';
import { deployJob } from '@flotilla/jobs';
import { defineJobHandler } from './define-job.ts';

export const deploy = defineJobHandler({
  contract: deployJob,
  concurrency: ({ deployConcurrency }) => deployConcurrency,
  handle: async (ctx, { deploymentId, desiredHash, isCorrection }, job) => {
    const attempts = job.opts.attempts ?? 1;
    return deployDeployment({
      ctx,
      deploymentId,
      desiredHash,
      isCorrection,
      isFinalAttempt: job.attemptsMade + 1 >= attempts,
    });
  },
});
