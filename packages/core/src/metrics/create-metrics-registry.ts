import { setTimeout as sleep } from 'node:timers/promises';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { CoreContext } from '../context.ts';
import type { WorkerContext } from '../worker-context.ts';
import { CONNECTIVITY_STATES, countFleetStates } from './count-fleet-states.ts';
import { QUEUE_JOB_STATES, readQueueStats } from './read-queue-stats.ts';

/**
 * How long a scrape waits for Redis or Postgres. BullMQ waits for a lost Redis connection to
 * come back rather than failing, so without a bound a scrape would hang as long as Redis is down.
 */
const SCRAPE_READ_TIMEOUT_MS = 2000;

async function withinScrapeTime<T>(read: Promise<T>, what: string): Promise<T> {
  const timeout = sleep(SCRAPE_READ_TIMEOUT_MS, undefined, { ref: false }).then(() => {
    throw new Error(`${what} did not answer within ${SCRAPE_READ_TIMEOUT_MS} ms`);
  });
  return Promise.race([read, timeout]);
}

/**
 * A Prometheus registry with what the web and the worker both serve on /metrics: Node's
 * process metrics, the depth and age of every queue (Redis) and the fleet's deployments by
 * state and clusters by connectivity (Postgres). The fleet-wide figures are read when scraped
 * and are the same from every process: aggregate them with max(), not sum().
 * Given the worker's cluster clients, it also counts their open circuit breakers. The worker
 * adds its own (job durations, Git fetch errors) to the registry returned.
 */
export function createMetricsRegistry({
  ctx,
}: {
  ctx: Pick<CoreContext, 'db' | 'queues' | 'now' | 'logger'> &
    Partial<Pick<WorkerContext, 'clusters'>>;
}): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  // One read per scrape, shared by the gauges it feeds: Prometheus collects every gauge of a
  // scrape at once, and two gauges must not show two different moments.
  const once = <T>(read: () => Promise<T>) => {
    let inFlight: Promise<T> | undefined;
    return () => {
      inFlight ??= read().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    };
  };
  const queueStats = once(() => withinScrapeTime(readQueueStats({ ctx }), 'redis'));
  const fleetStates = once(() => withinScrapeTime(countFleetStates({ ctx }), 'postgres'));
  // A scrape while Redis or Postgres is down still answers (process metrics, worker
  // histograms); the figures that could not be read are left out rather than shown stale.
  const unavailable = (gauge: Gauge, source: string, error: unknown) => {
    gauge.reset();
    ctx.logger.warn({ source, err: (error as Error).message }, 'metrics: could not read');
  };

  new Gauge({
    name: 'flotilla_queue_jobs',
    help: 'Jobs in each BullMQ queue by state (read from Redis when scraped).',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      try {
        for (const { queue, counts } of await queueStats()) {
          for (const state of QUEUE_JOB_STATES) this.set({ queue, state }, counts[state]);
        }
      } catch (error) {
        unavailable(this, 'redis', error);
      }
    },
  });
  new Gauge({
    name: 'flotilla_queue_oldest_waiting_age_seconds',
    help: 'Seconds the oldest waiting job of each queue has been runnable (0 when none waits).',
    labelNames: ['queue'],
    registers: [registry],
    async collect() {
      try {
        for (const { queue, oldestWaitingAgeSeconds } of await queueStats()) {
          this.set({ queue }, oldestWaitingAgeSeconds);
        }
      } catch (error) {
        unavailable(this, 'redis', error);
      }
    },
  });
  new Gauge({
    name: 'flotilla_deployments',
    help: 'BundleDeployments by state, across every workspace.',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      try {
        const { deploymentsByState } = await fleetStates();
        for (const [state, count] of Object.entries(deploymentsByState)) this.set({ state }, count);
      } catch (error) {
        unavailable(this, 'postgres', error);
      }
    },
  });
  new Gauge({
    name: 'flotilla_clusters',
    help: 'Clusters by connectivity (Online, Offline, Unknown), across every workspace.',
    labelNames: ['connectivity'],
    registers: [registry],
    async collect() {
      try {
        const { clustersByConnectivity } = await fleetStates();
        for (const connectivity of CONNECTIVITY_STATES) {
          this.set({ connectivity }, clustersByConnectivity[connectivity]);
        }
      } catch (error) {
        unavailable(this, 'postgres', error);
      }
    },
  });
  const { clusters } = ctx;
  if (clusters) {
    new Gauge({
      name: 'flotilla_circuit_breakers',
      help: 'Clusters whose circuit breaker is open or half-open in this worker process (each process keeps its own).',
      labelNames: ['state'],
      registers: [registry],
      async collect() {
        try {
          const ids = await ctx.db.cluster.findMany({ select: { id: true } });
          const counts = { open: 0, halfOpen: 0 };
          for (const { id } of ids) {
            const state = clusters.breakerState(id);
            if (state !== 'closed') counts[state] += 1;
          }
          for (const [state, count] of Object.entries(counts)) this.set({ state }, count);
        } catch (error) {
          unavailable(this, 'postgres', error);
        }
      },
    });
  }
  return registry;
}
