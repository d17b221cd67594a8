import { renderBundleRevisions } from '@flotilla/core';
import { renderJob } from '@flotilla/jobs';
import { defineJobHandler } from './define-job.ts';

export const render = defineJobHandler({
  contract: renderJob,
  // Rendering is CPU work in this process: two at a time leave room for the rest.
  concurrency: () => 2,
  // A restart (its worker died mid-render, or it failed) plans again whatever it finds.
  handle: (ctx, { bundleId, commit }, job) =>
    renderBundleRevisions({
      ctx,
      bundleId,
      commit,
      isRerun: job.attemptsStarted > 1 || job.attemptsMade > 0,
    }),
});
