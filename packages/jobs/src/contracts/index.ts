import { connectionTestJob } from './connection-test.ts';
import { deployJob } from './deploy.ts';
import { gitRepoConnectionTestJob } from './gitrepo-connection-test.ts';
import { gitSyncJob } from './git-sync.ts';
import { liveReadJob } from './live-read.ts';
import { githubStatusJob } from './github-status.ts';
import { monitorJob } from './monitor.ts';
import { notificationCollectJob } from './notification-collect.ts';
import { notificationDeliverJob } from './notification-deliver.ts';
import { planJob } from './plan.ts';
import { probeJob } from './probe.ts';
import { pullRequestPreviewJob } from './pull-request-preview.ts';
import { renderJob } from './render.ts';
import { tickJob } from './tick.ts';

export {
  connectionTestJob,
  deployJob,
  gitRepoConnectionTestJob,
  gitSyncJob,
  githubStatusJob,
  liveReadJob,
  monitorJob,
  notificationCollectJob,
  notificationDeliverJob,
  planJob,
  probeJob,
  pullRequestPreviewJob,
  renderJob,
  tickJob,
};
export type { JobContract } from './define.ts';
export { GITHUB_STATUS_DEBOUNCE_MS, githubStatusWindow } from './github-status.ts';

/** Every job, one queue each, so each kind of work gets its own concurrency. */
export const JOB_CONTRACTS = [
  gitSyncJob,
  renderJob,
  planJob,
  deployJob,
  monitorJob,
  probeJob,
  tickJob,
  notificationCollectJob,
  notificationDeliverJob,
  githubStatusJob,
  pullRequestPreviewJob,
  liveReadJob,
  connectionTestJob,
  gitRepoConnectionTestJob,
] as const;

export type AnyJobContract = (typeof JOB_CONTRACTS)[number];
export type JobName = AnyJobContract['name'];
