import type { Logger } from '@flotilla/config';
import type { Db } from '@flotilla/db';
import type { JobQueues } from '@flotilla/jobs';
import type { Redis } from 'ioredis';
import type { SecretBox } from './secrets/secret-box.ts';

/**
 * What every use case may use. The web and the worker each build one at start; tests build one
 * over a real database and Redis. Worker-only capabilities (cluster clients, git cache) live in
 * WorkerContext so the web can never reach a cluster by accident.
 */
export interface CoreContext {
  db: Db;
  redis: Redis;
  queues: JobQueues;
  secrets: SecretBox;
  logger: Logger;
  now: () => Date;
  /** file:// Git URLs are accepted only where the installation allows them (tests, demo). */
  allowFileGitUrls: boolean;
  /** Plain http:// Git URLs beyond loopback (FLOTILLA_ALLOW_INSECURE_GIT). */
  allowInsecureGitUrls?: boolean;
  /** Applies kept in each deployment's history (FLOTILLA_HISTORY_PER_DEPLOYMENT, 20). */
  historyPerDeployment?: number;
}
