import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { z } from 'zod';
import {
  connectionTestJob,
  deployJob,
  gitRepoConnectionTestJob,
  gitSyncJob,
  githubStatusJob,
  JOB_CONTRACTS,
  liveReadJob,
  monitorJob,
  notificationCollectJob,
  notificationDeliverJob,
  planJob,
  probeJob,
  pullRequestPreviewJob,
  renderJob,
  tickJob,
  type AnyJobContract,
  type JobContract,
  type JobName,
} from './contracts/index.ts';
import { GITHUB_STATUS_DEBOUNCE_MS, githubStatusWindow } from './contracts/github-status.ts';
import { safeJobId } from './constants.ts';
import { currentCorrelationId } from './correlation.ts';

export const QUEUE_PREFIX = 'flotilla';

/** What a job someone waits for came to (JobQueues.requestAnswer). */
export type JobAnswer =
  | { outcome: 'answered'; value: unknown }
  | { outcome: 'failed'; reason: string }
  | { outcome: 'timeout' };

type Payload<Contract> =
  Contract extends JobContract<string, infer Schema> ? z.input<Schema> : never;

/**
 * The payload with the current correlation id (see correlation.ts) unless it names one. Jobs
 * whose schema has no `correlationId` (probe, monitor, tick) drop it when parsed.
 */
function withCorrelation<Payload>(payload: Payload): Payload {
  const id = currentCorrelationId();
  if (!id || typeof payload !== 'object' || payload === null || 'correlationId' in payload)
    return payload;
  return { ...payload, correlationId: id };
}

/**
 * The producer side of every queue, with one typed enqueue helper per job. Enqueuing parses
 * the payload with the job's schema first, so a bad payload is refused at its source.
 */
export class JobQueues {
  private readonly queues = new Map<JobName, Queue>();

  constructor(private readonly connection: Redis) {
    for (const contract of JOB_CONTRACTS) {
      this.queues.set(
        contract.name,
        new Queue(contract.name, { connection, prefix: QUEUE_PREFIX }),
      );
    }
  }

  queue(name: JobName): Queue {
    const queue = this.queues.get(name);
    if (!queue) throw new Error(`no queue ${name}`);
    return queue;
  }

  private async add<Contract extends AnyJobContract>(
    contract: Contract,
    payload: Payload<Contract>,
    extra: { delay?: number } = {},
  ): Promise<void> {
    const data = contract.schema.parse(withCorrelation(payload)) as z.infer<Contract['schema']>;
    const jobId = contract.jobId?.(data as never);
    await this.queue(contract.name).add(contract.name, data, {
      ...contract.options,
      ...(jobId ? { jobId } : {}),
      ...extra,
    });
  }

  private async addBulk<Contract extends AnyJobContract>(
    contract: Contract,
    payloads: Payload<Contract>[],
    { idTag, spreadOverMs }: { idTag?: string; spreadOverMs?: number } = {},
  ): Promise<void> {
    if (payloads.length === 0) return;
    const jobs = payloads.map((payload, index) => {
      const data = contract.schema.parse(withCorrelation(payload)) as z.infer<Contract['schema']>;
      const baseId = contract.jobId?.(data as never);
      const jobId = baseId && idTag ? safeJobId(baseId, idTag) : baseId;
      const delay = spreadOverMs ? Math.floor((index * spreadOverMs) / payloads.length) : 0;
      return {
        name: contract.name,
        data,
        opts: { ...contract.options, ...(jobId ? { jobId } : {}), ...(delay > 0 ? { delay } : {}) },
      };
    });
    // addBulk of thousands is one round trip per chunk, not one per job.
    for (let start = 0; start < jobs.length; start += 1000) {
      await this.queue(contract.name).addBulk(jobs.slice(start, start + 1000));
    }
  }

  enqueueGitSync(payload: Payload<typeof gitSyncJob>): Promise<void> {
    return this.add(gitSyncJob, payload);
  }

  enqueueGitSyncs(payloads: Payload<typeof gitSyncJob>[]): Promise<void> {
    return this.addBulk(gitSyncJob, payloads);
  }

  enqueueRender(payload: Payload<typeof renderJob>): Promise<void> {
    return this.add(renderJob, payload);
  }

  enqueuePlan(payload: Payload<typeof planJob>): Promise<void> {
    return this.add(planJob, payload);
  }

  /**
   * `spreadOverMs` starts the plans evenly over that time (the first at once) instead of all
   * at once: a periodic re-plan of every bundle then never holds a commit's plan and deploys
   * behind thousands of rows of plans that change nothing.
   */
  enqueuePlans(
    payloads: Payload<typeof planJob>[],
    options?: { spreadOverMs?: number },
  ): Promise<void> {
    return this.addBulk(planJob, payloads, options);
  }

  /**
   * `idTag` gives the jobs ids of their own instead of the usual ones, which de-duplicate
   * against a job of the same revision still queued or running: for work that must happen even
   * if such a job is about to end without doing it (see requeueClusterWork).
   */
  enqueueDeploys(
    payloads: Payload<typeof deployJob>[],
    options?: { idTag?: string },
  ): Promise<void> {
    return this.addBulk(deployJob, payloads, options);
  }

  enqueueMonitor(payload: Payload<typeof monitorJob>, delayMs?: number): Promise<void> {
    return this.add(monitorJob, payload, delayMs ? { delay: delayMs } : {});
  }

  enqueueMonitors(payloads: Payload<typeof monitorJob>[]): Promise<void> {
    return this.addBulk(monitorJob, payloads);
  }

  enqueueProbe(payload: Payload<typeof probeJob>): Promise<void> {
    return this.add(probeJob, payload);
  }

  enqueueProbes(payloads: Payload<typeof probeJob>[]): Promise<void> {
    return this.addBulk(probeJob, payloads);
  }

  /** Closes a notification rule's aggregation window after `delayMs`. */
  enqueueNotificationCollect(
    payload: Payload<typeof notificationCollectJob>,
    delayMs: number,
  ): Promise<void> {
    return this.add(notificationCollectJob, payload, { delay: delayMs });
  }

  enqueueNotificationDelivery(payload: Payload<typeof notificationDeliverJob>): Promise<void> {
    return this.add(notificationDeliverJob, payload);
  }

  /**
   * Queues the commit status of a commit, to run after the debounce (`delayMs`): every request
   * within one window is the same job. A job queueing its own follow-up passes the `window` it
   * chose (githubStatusWindow with its own window): the running job's id would be dropped.
   */
  enqueueGithubStatus(
    payload: Omit<Payload<typeof githubStatusJob>, 'window'>,
    { delayMs = GITHUB_STATUS_DEBOUNCE_MS, window }: { delayMs?: number; window?: number } = {},
  ): Promise<void> {
    return this.add(
      githubStatusJob,
      { ...payload, window: window ?? githubStatusWindow(delayMs) },
      { delay: delayMs },
    );
  }

  enqueuePullRequestPreview(payload: Payload<typeof pullRequestPreviewJob>): Promise<void> {
    return this.add(pullRequestPreviewJob, payload);
  }

  /**
   * Asks the worker for a live read and waits for its answer, at most `timeoutMs`: the job's
   * return value, or a failure or timeout as a value. The answer is polled for rather than
   * awaited through QueueEvents, which would hold a blocking Redis connection in every web
   * process for a view opened now and then.
   */
  async requestLiveRead(
    payload: Payload<typeof liveReadJob>,
    options: { timeoutMs: number; pollMs?: number },
  ): Promise<JobAnswer> {
    return this.requestAnswer(liveReadJob, payload, options);
  }

  /** A stored cluster's connection tested by the worker (its token is opened only there). */
  async requestConnectionTest(
    payload: Payload<typeof connectionTestJob>,
    options: { timeoutMs: number; pollMs?: number },
  ): Promise<JobAnswer> {
    return this.requestAnswer(connectionTestJob, payload, options);
  }

  /** A Git repository's connection tested by the worker (with its git settings), saving nothing. */
  async requestGitRepoConnectionTest(
    payload: Payload<typeof gitRepoConnectionTestJob>,
    options: { timeoutMs: number; pollMs?: number },
  ): Promise<JobAnswer> {
    return this.requestAnswer(gitRepoConnectionTestJob, payload, options);
  }

  /**
   * Queues a job whose return value someone waits for (a dashboard request) and polls for it:
   * polling rather than QueueEvents, so no blocking Redis connection per web process.
   */
  private async requestAnswer<Contract extends AnyJobContract>(
    contract: Contract,
    payload: Payload<Contract>,
    { timeoutMs, pollMs = 150 }: { timeoutMs: number; pollMs?: number },
  ): Promise<JobAnswer> {
    const queue = this.queue(contract.name);
    const data = contract.schema.parse(withCorrelation(payload));
    const added = await queue.add(contract.name, data, { ...contract.options });
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, pollMs));
      const job = added.id ? await queue.getJob(added.id) : undefined;
      if (!job) return { outcome: 'failed', reason: 'the request was lost' };
      if (job.finishedOn) {
        return job.failedReason
          ? { outcome: 'failed', reason: job.failedReason }
          : { outcome: 'answered', value: job.returnvalue as unknown };
      }
    }
    // Nobody will wait for it any more: a request still queued is dropped (a running one ends
    // by itself, bounded by the cluster client's request timeout).
    await added.remove().catch(() => undefined);
    return { outcome: 'timeout' };
  }

  /** Repeats the scheduler's heartbeat; idempotent, so every worker may call it at start. */
  async scheduleTicks({
    scheduleEveryMs,
    sweepEveryMs,
  }: {
    scheduleEveryMs: number;
    sweepEveryMs: number;
  }) {
    const queue = this.queue(tickJob.name);
    await queue.upsertJobScheduler(
      'schedule',
      { every: scheduleEveryMs },
      {
        name: tickJob.name,
        data: { kind: 'schedule' },
        opts: tickJob.options,
      },
    );
    await queue.upsertJobScheduler(
      'sweep',
      { every: sweepEveryMs },
      {
        name: tickJob.name,
        data: { kind: 'sweep' },
        opts: tickJob.options,
      },
    );
  }

  /** Deploy jobs waiting, delayed or running for these ids (the sweeper skips them). */
  async deploymentsInFlight(): Promise<Set<string>> {
    const jobs = await this.queue(deployJob.name).getJobs([
      'waiting',
      'active',
      'delayed',
      'prioritized',
    ]);
    return new Set(
      jobs.flatMap((job) => (job?.data?.deploymentId ? [String(job.data.deploymentId)] : [])),
    );
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
  }
}
