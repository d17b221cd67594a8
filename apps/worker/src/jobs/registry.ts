import type { JobDefinition } from './define-job.ts';
import { connectionTest } from './connection-test.ts';
import { deploy } from './deploy.ts';
import { gitRepoConnectionTest } from './gitrepo-connection-test.ts';
import { gitSync } from './git-sync.ts';
import { githubStatus } from './github-status.ts';
import { liveRead } from './live-read.ts';
import { monitor } from './monitor.ts';
import { notificationCollect } from './notification-collect.ts';
import { notificationDeliver } from './notification-deliver.ts';
import { plan } from './plan.ts';
import { probe } from './probe.ts';
import { pullRequestPreview } from './pull-request-preview.ts';
import { render } from './render.ts';
import { tick } from './tick.ts';

/** Every job the worker runs, one BullMQ Worker each. */
export const JOB_DEFINITIONS: readonly JobDefinition[] = [
  gitSync,
  githubStatus,
  render,
  plan,
  deploy,
  monitor,
  probe,
  tick,
  notificationCollect,
  notificationDeliver,
  pullRequestPreview,
  liveRead,
  connectionTest,
  gitRepoConnectionTest,
] as JobDefinition[];
