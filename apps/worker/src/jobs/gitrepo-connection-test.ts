import { runGitRepoConnectionTest } from '@flotilla/core';
import { gitRepoConnectionTestJob } from '@flotilla/jobs';
import { defineJobHandler } from './define-job.ts';

/** "Test connection" on a Git repository: the answer is the job's return value (no secret). */
export const gitRepoConnectionTest = defineJobHandler({
  contract: gitRepoConnectionTestJob,
  concurrency: () => 4,
  handle: (ctx, payload) => runGitRepoConnectionTest({ ctx, payload }),
});
