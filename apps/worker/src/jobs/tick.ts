import { REPLAN_EVERY_MS, scheduleDueWork, sweepPendingWork } from '@flotilla/core';
import { tickJob } from '@flotilla/jobs';
import { fleetLocksOf } from '../fleet-locks.ts';
import { defineJobHandler } from './define-job.ts';

/** A pass left by a dead worker is someone else's after this long. */
const TICK_LEASE_MS = 30_000;

/**
 * The scheduler's heartbeat and the sweeper. BullMQ's job schedulers (scheduleTicks) queue one
 * tick per period for the whole fleet; a lease per kind keeps a pass that outlives its period
 * from overlapping the next one in another process (that one is skipped).
 */
export const tick = defineJobHandler({
  contract: tickJob,
  concurrency: () => 1,
  handle: async (ctx, { kind }) => {
    const locks = fleetLocksOf(ctx);
    const lease = await locks.tryLease(`tick:${kind}`, TICK_LEASE_MS);
    if (!lease) return { skipped: `another worker is running the ${kind} pass` };
    try {
      switch (kind) {
        case 'schedule':
          return await scheduleDueWork({ ctx, settings: ctx.settings });
        case 'sweep':
          return await sweepPendingWork({
            ctx,
            requeueAfterMs: ctx.settings.requeueAfterMs,
            // Once per period for the fleet, whichever worker sweeps first.
            shouldReplan: () => locks.claimPeriod('replan', REPLAN_EVERY_MS),
          });
        default: {
          const unknown: never = kind;
          throw new Error(`unknown tick ${String(unknown)}`);
        }
      }
    } finally {
      await lease.release();
    }
  },
});
