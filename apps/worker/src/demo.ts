import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { WorkerConfig } from '@flotilla/config';
import { ensureFirstAdmin, seedDemoFleet, type WorkerContext } from '@flotilla/core';

/**
 * FLOTILLA_DEMO=1: wait for kube-sim to write where its clusters are (npm start runs it),
 * then seed the demo workspace. A failure here is logged and leaves the worker running.
 */
export async function startDemo({
  ctx,
  config,
}: {
  ctx: WorkerContext;
  config: WorkerConfig;
}): Promise<void> {
  const { FLOTILLA_DEMO_FLEET_FILE: fleetFile, FLOTILLA_DEMO_REPO_URL: repoUrl } = config;
  if (!fleetFile || !repoUrl) {
    ctx.logger.warn(
      'FLOTILLA_DEMO=1 needs FLOTILLA_DEMO_FLEET_FILE and FLOTILLA_DEMO_REPO_URL (npm start sets both)',
    );
    return;
  }
  for (let waited = 0; !existsSync(fleetFile); waited += 1) {
    if (waited > 120) {
      ctx.logger.warn({ fleetFile }, 'kube-sim did not write its fleet file; no demo fleet');
      return;
    }
    await sleep(500);
  }
  try {
    // The web usually makes the first admin; do it here too so the demo has a member.
    await ensureFirstAdmin({
      ctx,
      email: config.FLOTILLA_ADMIN_EMAIL,
      password: config.FLOTILLA_ADMIN_PASSWORD,
    });
    await seedDemoFleet({ ctx, fleetFile, repoUrl, paths: config.FLOTILLA_DEMO_PATHS });
  } catch (error) {
    ctx.logger.error({ err: (error as Error).message }, 'could not seed the demo fleet');
  }
}
