import { z } from 'zod';
import { DEFAULT_JOB_OPTIONS, safeJobId } from '../constants.ts';
import { defineJob } from './define.ts';
import { id } from './ids.ts';

/**
 * Closes a rule's aggregation window: takes the transitions queued for the rule in Redis, keeps
 * those its selector and de-duplication allow, and turns them into one delivery (a summary when
 * there are several). `windowId` names the window, so the next window's job is not mistaken for
 * this one while it still runs. One attempt: the queued transitions were already taken.
 */
export const notificationCollectJob = defineJob({
  name: 'notification-collect',
  schema: z.object({ ruleId: id, windowId: id }),
  options: { ...DEFAULT_JOB_OPTIONS, attempts: 1 },
  jobId: ({ ruleId, windowId }) => safeJobId('notification-collect', ruleId, windowId),
});
