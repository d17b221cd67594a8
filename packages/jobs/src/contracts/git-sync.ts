import { z } from 'zod';
import { DEFAULT_JOB_OPTIONS, safeJobId } from '../constants.ts';
import { defineJob } from './define.ts';
import { id } from './ids.ts';

/** Fetch a GitRepo, discover its bundles and queue a render for each changed one. */
export const gitSyncJob = defineJob({
  name: 'git-sync',
  schema: z.object({ gitRepoId: id, reason: z.enum(['created', 'poll', 'manual', 'webhook', 'sweep']) }),
  options: { ...DEFAULT_JOB_OPTIONS, attempts: 1 },
  // One fetch per repo at a time: a poll arriving while a webhook fetch is queued collapses.
  jobId: ({ gitRepoId }) => safeJobId('git-sync', gitRepoId),
});
