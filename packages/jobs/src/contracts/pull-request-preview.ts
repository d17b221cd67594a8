import { z } from 'zod';
import { DEFAULT_JOB_OPTIONS, safeJobId } from '../constants.ts';
import { correlationId } from '../correlation.ts';
import { defineJob } from './define.ts';
import { commitSha, id } from './ids.ts';

/**
 * Preview one pull request at one head commit: render the bundles it touches, diff them per
 * cluster against the desired revisions and post the GitHub check run. One job per head commit
 * (a push to the PR is a new job). Many attempts with the capped backoff ride out a GitHub
 * outage; nothing a deploy waits on runs here.
 */
export const pullRequestPreviewJob = defineJob({
  name: 'pull-request-preview',
  schema: z.object({ previewId: id, headSha: commitSha, correlationId: correlationId.optional() }),
  options: { ...DEFAULT_JOB_OPTIONS, attempts: 10 },
  jobId: ({ previewId, headSha }) => safeJobId('pr-preview', previewId, headSha.slice(0, 16)),
});
