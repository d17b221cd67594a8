import { acquireDeploySlot, deployDeployment, putBackDelayMs } from '@flotilla/core';
import { deployJob } from '@flotilla/jobs';
import { DelayedError, type Job } from 'bullmq';
import { fleetLocksOf } from '../fleet-locks.ts';
import { defineJobHandler } from './define-job.ts';

/**
 * How long a deployment stays claimed by a worker that died while applying it (the living
 * holder refreshes the claim every third of this).
 */
export const DEPLOYMENT_LEASE_MS = 15_000;

/**
 * Back to the queue, behind the jobs waiting there. moveToDelayed does not count an attempt,
 * and DelayedError tells BullMQ the job was moved rather than failed.
 */
async function putBack(job: Job): Promise<never> {
  await job.moveToDelayed(Date.now() + putBackDelayMs(), job.token);
  throw new DelayedError();
}

export const deploy = defineJobHandler({
  contract: deployJob,
  concurrency: ({ deployConcurrency }) => deployConcurrency,
  handle: async (ctx, { deploymentId, desiredHash, isCorrection }, job) => {
    // One worker at a time per (bundle, cluster), across processes: jobs of another revision
    // (or a prune, or a drift correction) of the same deployment have other ids and would
    // otherwise run side by side.
    const lease = await fleetLocksOf(ctx).tryLease(
      `deployment:${deploymentId}`,
      DEPLOYMENT_LEASE_MS,
    );
    if (!lease) return putBack(job);
    try {
      const slot = await acquireDeploySlot({ ctx, deploymentId });
      // Its cluster holds its share of this worker's slots.
      if (!slot.isGranted) return await putBack(job);
      const attempts = job.opts.attempts ?? 1;
      try {
        return await deployDeployment({
          ctx,
          deploymentId,
          desiredHash,
          isCorrection,
          isFinalAttempt: job.attemptsMade + 1 >= attempts,
          isRetry: job.attemptsMade > 0,
        });
      } finally {
        slot.release();
      }
    } finally {
      await lease.release();
    }
  },
});
