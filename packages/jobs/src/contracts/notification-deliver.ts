import { z } from 'zod';
import { DEFAULT_JOB_OPTIONS, safeJobId } from '../constants.ts';
import { defineJob } from './define.ts';
import { id } from './ids.ts';

/**
 * Sends one delivery to its rule's destination. A 5xx, a 429 or a network error is retried with
 * the jittered backoff (8 attempts: about 2 minutes); any other 4xx is final. The payload names
 * the delivery only: the URL and the signing secret stay sealed in Postgres.
 */
export const notificationDeliverJob = defineJob({
  name: 'notification-deliver',
  schema: z.object({ deliveryId: id }),
  options: { ...DEFAULT_JOB_OPTIONS, attempts: 8 },
  jobId: ({ deliveryId }) => safeJobId('notification-deliver', deliveryId),
});
