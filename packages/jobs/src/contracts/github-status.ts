import { z } from 'zod';
import { DEFAULT_JOB_OPTIONS, safeJobId } from '../constants.ts';
import { defineJob } from './define.ts';
import { commitSha, id } from './ids.ts';

/** Statuses of one commit are posted at most once per this many milliseconds (the debounce). */
export const GITHUB_STATUS_DEBOUNCE_MS = 3000;

/**
 * The debounce window of a job that runs in `delayMs`; at least `afterWindow + 1` when a job
 * queues its own follow-up (its own id would be dropped by BullMQ while it runs).
 */
export function githubStatusWindow(
  delayMs: number,
  afterWindow?: number,
  now = Date.now(),
): number {
  return Math.max(
    Math.floor((now + delayMs) / GITHUB_STATUS_DEBOUNCE_MS),
    afterWindow === undefined ? 0 : afterWindow + 1,
  );
}

/**
 * Post the commit status of one commit of a GitHub-connected repo, when it changed. The id
 * holds the debounce window the job was queued in: requests within one window are one job
 * (BullMQ ignores a job whose id is queued already), and a request made while that job runs
 * lands in the next window instead of being dropped. Many attempts with the capped backoff
 * ride out a GitHub outage; deploys never wait for this queue.
 */
export const githubStatusJob = defineJob({
  name: 'github-status',
  schema: z.object({
    gitRepoId: id,
    commit: commitSha,
    window: z.number().int().min(0),
  }),
  options: { ...DEFAULT_JOB_OPTIONS, attempts: 12 },
  jobId: ({ gitRepoId, commit, window }) =>
    safeJobId('github-status', gitRepoId, commit, String(window)),
});
