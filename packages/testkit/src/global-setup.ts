import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './platform.ts';
import { dropStaleTestDatabases, prepareTemplateDatabase } from './postgres.ts';
import { kubebuilderAssets } from './envtest.ts';
import { createTestRedis } from './redis.ts';

/**
 * Runs once before the integration and browser projects: every required service must answer
 * and every asset must exist, or the run fails here with a message saying what is missing.
 * Nothing is skipped.
 */
export default async function setup(): Promise<void> {
  kubebuilderAssets();
  // The platform's worker runs from its bundle, as `npm start` and the image run it: built from
  // the sources of this checkout (about a second), so a test never runs a stale worker.
  execFileSync(process.execPath, [path.join(REPO_ROOT, 'apps/worker/build.mjs')], {
    stdio: 'inherit',
  });
  await dropStaleTestDatabases();
  await prepareTemplateDatabase();
  const redis = await createTestRedis();
  await redis.cleanup();
}
