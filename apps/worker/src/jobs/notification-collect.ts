import { collectNotifications } from '@flotilla/core';
import { notificationCollectJob } from '@flotilla/jobs';
import { defineJobHandler } from './define-job.ts';

export const notificationCollect = defineJobHandler({
  contract: notificationCollectJob,
  concurrency: () => 4,
  handle: async (ctx, { ruleId }) => {
    const deliveryId = await collectNotifications({ ctx, ruleId });
    return deliveryId ? `delivery ${deliveryId}` : 'nothing to send';
  },
});
