import { acquireDeploySlot, deployDeployment, putBackDelayMs } from '@flotilla/core';
import { deployJob } from '@flotilla/jobs';
import { DelayedError } from 'bullmq';
import { defineJobHandler } from './define-job.ts';

export const deploy = defineJobHandler({
  contract: deployJob,
  concurrency: ({ deployConcurrency }) => deployConcurrency,
  handle: async (ctx, { deploymentId, desiredHash, isCorrection }, job) => {
    const slot = await acquireDeploySlot({ ctx, deploymentId });
    if (!slot.isGranted) {
      // Its cluster holds its share of the slots: back to the queue, behind the jobs waiting
      // there. moveToDelayed does not count an attempt, and DelayedError tells BullMQ the job
      // was moved rather than failed.
      await job.moveToDelayed(Date.now() + putBackDelayMs(), job.token);
      throw new DelayedError();
    }
    const attempts = job.opts.attempts ?? 1;
    try {
      return await deployDeployment({
        ctx,
        deploymentId,
        desiredHash,
        isCorrection,
        isFinalAttempt: job.attemptsMade + 1 >= attempts,
      });
    } finally {
      slot.release();
    }
  },
});
