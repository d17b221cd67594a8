import { renderBundleRevisions } from '@flotilla/core';
import { renderJob } from '@flotilla/jobs';
import { defineJobHandler } from './define-job.ts';

export const render = defineJobHandler({
  contract: renderJob,
  // Rendering is CPU work in this process: two at a time leave room for the rest.
  concurrency: () => 2,
  handle: (ctx, { bundleId, commit }) => renderBundleRevisions({ ctx, bundleId, commit }),
});
