import { z } from 'zod';
import { DEFAULT_JOB_OPTIONS } from '../constants.ts';
import { correlationId } from '../correlation.ts';
import { defineJob } from './define.ts';
import { id } from './ids.ts';

/**
 * Fetch a GitRepo, discover its bundles and queue a render for each changed one. No custom job
 * id (see plan.ts): a webhook arriving while a poll fetch runs must fetch again; the git cache
 * serialises fetches of one repository.
 */
export const gitSyncJob = defineJob({
  name: 'git-sync',
  schema: z.object({
    gitRepoId: id,
    reason: z.enum(['created', 'poll', 'manual', 'webhook', 'sweep']),
    correlationId: correlationId.optional(),
  }),
  options: { ...DEFAULT_JOB_OPTIONS, attempts: 1 },
});
