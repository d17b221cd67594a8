import { planBundle } from '@flotilla/core';
import { planJob } from '@flotilla/jobs';
import { countReplanned } from '../metrics.ts';
import { defineJobHandler } from './define-job.ts';

export const plan = defineJobHandler({
  contract: planJob,
  concurrency: () => 4,
  // attemptsStarted counts every start, a stalled job's restart after its worker died included.
  handle: async (ctx, { bundleId }, job) => {
    const outcome = await planBundle({
      ctx,
      bundleId,
      isRerun: job.attemptsStarted > 1 || job.attemptsMade > 0,
    });
    countReplanned(outcome);
    return outcome;
  },
});
