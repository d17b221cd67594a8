import { reportCommitStatus } from '@flotilla/core';
import { githubStatusJob } from '@flotilla/jobs';
import { defineJobHandler } from './define-job.ts';

/** Posts a commit's status to GitHub; a GitHub outage retries here and never holds a deploy. */
export const githubStatus = defineJobHandler({
  contract: githubStatusJob,
  concurrency: () => 4,
  handle: (ctx, { gitRepoId, commit, window }) =>
    reportCommitStatus({ ctx, gitRepoId, commit, window }),
});
