import { syncGitRepo } from '@flotilla/core';
import { gitSyncJob } from '@flotilla/jobs';
import { defineJobHandler } from './define-job.ts';

export const gitSync = defineJobHandler({
  contract: gitSyncJob,
  concurrency: () => 4,
  handle: (ctx, { gitRepoId }) => syncGitRepo({ ctx, gitRepoId }),
});
