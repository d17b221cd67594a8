import { previewPullRequest } from '@flotilla/core';
import { pullRequestPreviewJob } from '@flotilla/jobs';
import { defineJobHandler } from './define-job.ts';

export const pullRequestPreview = defineJobHandler({
  contract: pullRequestPreviewJob,
  // Rendering is CPU work in this process: one preview at a time leaves room for the deploys.
  concurrency: () => 1,
  handle: (ctx, { previewId, headSha }) => previewPullRequest({ ctx, previewId, headSha }),
});
