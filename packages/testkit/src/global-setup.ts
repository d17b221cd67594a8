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
  await dropStaleTestDatabases();
  await prepareTemplateDatabase();
  const redis = await createTestRedis();
  await redis.cleanup();
}
