import type { WorkerContext } from '@flotilla/core';
import { FleetLocks } from '@flotilla/jobs';

const byContext = new WeakMap<WorkerContext, FleetLocks>();

/** The worker's leases and semaphores in Redis (one FleetLocks per context). */
export function fleetLocksOf(ctx: WorkerContext): FleetLocks {
  let locks = byContext.get(ctx);
  if (!locks) {
    locks = new FleetLocks(ctx.redis, (what, error) =>
      ctx.logger.warn({ lease: what, err: error.message }, 'a fleet lease was lost'),
    );
    byContext.set(ctx, locks);
  }
  return locks;
}
