import { z } from 'zod';
import { DEFAULT_JOB_OPTIONS } from '../constants.ts';
import { defineJob } from './define.ts';
import { id } from './ids.ts';

/**
 * "Test connection" on the connect-repo and repo edit forms: the worker runs `git ls-remote`
 * with its git settings (proxy, CA, address policy), saving nothing. A stored repo's
 * credentials are opened only there (`gitRepoId`); credentials typed into the form travel
 * sealed in a Redis key of their own that lives a minute and is read once (`authRef` names it):
 * the payload, which BullMQ keeps and a queue dashboard shows, carries no credentials. The
 * web waits for the answer (JobQueues.requestAnswer), so the job is never retried, and it is
 * removed from Redis soon after.
 */
export const gitRepoConnectionTestJob = defineJob({
  name: 'gitrepo-connection-test',
  schema: z.object({
    workspaceId: id,
    /** The stored repo whose URL, branch, revision and credentials fill in what is not given. */
    gitRepoId: id.optional(),
    url: z.string().min(1).max(2048).optional(),
    branch: z.string().min(1).max(255).optional(),
    /** null: test the branch, not the stored pinned revision. */
    revision: z.string().min(1).max(255).nullable().optional(),
    /** The Redis key suffix of the typed credentials, sealed by the web (gitTestAuthKey). */
    authRef: id.optional(),
    /** The edit form removes the credentials: test without any. */
    withoutAuth: z.boolean().optional(),
  }),
  options: {
    ...DEFAULT_JOB_OPTIONS,
    attempts: 1,
    removeOnComplete: { age: 120 },
    removeOnFail: { age: 120 },
  },
});
