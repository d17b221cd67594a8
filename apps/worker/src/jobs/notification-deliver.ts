import { deliverNotification } from '@flotilla/core';
import { notificationDeliverJob } from '@flotilla/jobs';
import { UnrecoverableError } from 'bullmq';
import { defineJobHandler } from './define-job.ts';

export const notificationDeliver = defineJobHandler({
  contract: notificationDeliverJob,
  concurrency: () => 8,
  handle: async (ctx, { deliveryId }, job) => {
    const attempts = job.opts.attempts ?? 1;
    const outcome = await deliverNotification({
      ctx,
      deliveryId,
      attempt: job.attemptsMade + 1,
      isLastAttempt: job.attemptsMade + 1 >= attempts,
    });
    switch (outcome.kind) {
      case 'delivered':
        return `HTTP ${outcome.statusCode}`;
      case 'gone':
        return 'gone';
      // A 4xx (not 429) will not get better by retrying: the receiver refuses the message.
      case 'final':
        throw new UnrecoverableError(outcome.reason);
      case 'retry':
        throw new Error(outcome.reason);
    }
  },
});
