import { planBundle } from '@flotilla/core';
import { planJob } from '@flotilla/jobs';
import { defineJobHandler } from './define-job.ts';

export const plan = defineJobHandler({
  contract: planJob,
  concurrency: () => 4,
  handle: (ctx, { bundleId }) => planBundle({ ctx, bundleId }),
});
