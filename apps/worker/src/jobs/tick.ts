import { scheduleDueWork, sweepPendingWork } from '@flotilla/core';
import { tickJob } from '@flotilla/jobs';
import { defineJobHandler } from './define-job.ts';

export const tick = defineJobHandler({
  contract: tickJob,
  concurrency: () => 1,
  handle: async (ctx, { kind }) => {
    switch (kind) {
      case 'schedule':
        return scheduleDueWork({ ctx, settings: ctx.settings });
      case 'sweep':
        return sweepPendingWork({ ctx, requeueAfterMs: ctx.settings.requeueAfterMs });
      default: {
        const unknown: never = kind;
        throw new Error(`unknown tick ${String(unknown)}`);
      }
    }
  },
});
