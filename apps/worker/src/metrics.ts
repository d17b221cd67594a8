import { randomUUID } from 'node:crypto';
import type { Logger } from '@flotilla/config';
import type { GitCache } from '@flotilla/git';
import { deployJob, gitSyncJob, planJob, renderJob, withCorrelationId } from '@flotilla/jobs';
import { DelayedError } from 'bullmq';
import { Counter, Histogram, type Registry } from 'prom-client';

/**
 * What only the worker can measure: how long its jobs take and how often Git fetches fail.
 * The metrics exist from import time (run-workers.ts observes them by job name, without a
 * handle passed around) and join the /metrics registry in registerWorkerMetrics.
 */

// Deploys take tens of milliseconds on a quiet cluster and minutes behind a slow one.
const DURATION_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

const deployDuration = new Histogram({
  name: 'flotilla_deploy_duration_seconds',
  help: 'Time a deploy job took (apply, prune, assessment), by outcome.',
  labelNames: ['outcome'],
  buckets: DURATION_BUCKETS,
  registers: [],
});
const renderDuration = new Histogram({
  name: 'flotilla_render_duration_seconds',
  help: 'Time a render job took (every customization of one bundle at one commit), by outcome.',
  labelNames: ['outcome'],
  buckets: DURATION_BUCKETS,
  registers: [],
});
const gitFetchErrors = new Counter({
  name: 'flotilla_git_fetch_errors_total',
  help: 'Git fetches that failed (unreachable remote, refused credentials, missing branch...).',
  registers: [],
});

const monitoredDeployments = new Counter({
  name: 'flotilla_monitor_deployments_total',
  help:
    'Deployments a monitor pass looked at: assessed (health and drift computed) or settled ' +
    '(Ready from the very objects it was last found Ready from, so not assessed again).',
  labelNames: ['outcome'],
  registers: [],
});

/** Counts what one monitor pass did with a cluster's deployments. */
export function countMonitored(outcome: { checked: number; settled: number } | null): void {
  if (!outcome) return;
  monitoredDeployments.inc({ outcome: 'settled' }, outcome.settled);
  monitoredDeployments.inc({ outcome: 'assessed' }, outcome.checked - outcome.settled);
}

const replannedDeployments = new Counter({
  name: 'flotilla_plan_replanned_deployments_total',
  help:
    'Deployments a plan could not write because a deploy, a check or another plan wrote them ' +
    'after the plan read them; the plan read them again and planned them anew.',
  registers: [],
});

/** Counts what one plan found changed under it. */
export function countReplanned(outcome: { replanned: number }): void {
  if (outcome.replanned > 0) replannedDeployments.inc(outcome.replanned);
}

const DURATIONS: ReadonlyMap<string, Histogram<'outcome'>> = new Map([
  [deployJob.name, deployDuration],
  [renderJob.name, renderDuration],
]);

/** The jobs between a commit and its clusters: each runs under a correlation id. */
const CORRELATED_JOBS = new Set<string>([
  gitSyncJob.name,
  renderJob.name,
  planJob.name,
  deployJob.name,
]);

export function registerWorkerMetrics(registry: Registry): void {
  for (const metric of [
    deployDuration,
    renderDuration,
    gitFetchErrors,
    monitoredDeployments,
    replannedDeployments,
  ]) {
    registry.registerMetric(metric);
  }
}

/**
 * Runs one job's handler: under its correlation id (the payload's, or a new one for a chain
 * that starts here: a sweep, an edit in the UI, a payload queued before the field existed),
 * timed when its kind has a histogram, and logged at debug level when done through a child
 * logger that names the job and its correlation id. The outcome is the use case's `result`
 * when it returns one (applied, skipped, failed...), `error` when it throws.
 */
export async function runJob<T>(
  {
    name,
    payload,
    jobId,
    logger,
  }: { name: string; payload: unknown; jobId?: string; logger: Logger },
  work: () => Promise<T>,
): Promise<T> {
  const correlationId = CORRELATED_JOBS.has(name)
    ? (readCorrelationId(payload) ?? randomUUID())
    : undefined;
  const run = correlationId ? () => withCorrelationId(correlationId, work) : work;
  const log = logger.child({ job: name, jobId, ...(correlationId ? { correlationId } : {}) });
  const end = DURATIONS.get(name)?.startTimer();
  const startedAt = performance.now();
  const done = (outcome: string) => {
    end?.({ outcome });
    log.debug({ outcome, ms: Math.round(performance.now() - startedAt) }, 'job done');
  };
  try {
    const value = await run();
    done(outcomeOf(value));
    return value;
  } catch (error) {
    // A job put back in the queue (DelayedError) did not run: nothing to time.
    if (!(error instanceof DelayedError)) done('error');
    throw error;
  }
}

function readCorrelationId(payload: unknown): string | undefined {
  if (typeof payload !== 'object' || payload === null || !('correlationId' in payload)) return;
  return typeof payload.correlationId === 'string' ? payload.correlationId : undefined;
}

function outcomeOf(value: unknown): string {
  if (typeof value === 'object' && value !== null && 'result' in value) {
    if (typeof value.result === 'string' && /^[a-z-]{1,32}$/.test(value.result))
      return value.result;
  }
  return 'ok';
}

/** The same cache, counting the fetches that throw (a GitError; the cache stays as it was). */
export function countGitFetchErrors(git: GitCache): GitCache {
  return {
    ...git,
    fetch: async (request) => {
      try {
        return await git.fetch(request);
      } catch (error) {
        gitFetchErrors.inc();
        throw error;
      }
    },
  };
}
