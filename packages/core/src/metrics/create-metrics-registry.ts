import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { CoreContext } from '../context.ts';
import { CONNECTIVITY_STATES, countFleetStates } from './count-fleet-states.ts';
import { QUEUE_JOB_STATES, readQueueStats } from './read-queue-stats.ts';

/**
 * A Prometheus registry with what the web and the worker both serve on /metrics: Node's
 * process metrics, the depth and age of every queue (Redis) and the fleet's deployments by
 * state and clusters by connectivity (Postgres). The fleet-wide figures are read when scraped
 * and are the same from every process: aggregate them with max(), not sum().
 * The worker adds its own (job durations, Git fetch errors) to the registry returned.
 */
export function createMetricsRegistry({
  ctx,
}: {
  ctx: Pick<CoreContext, 'db' | 'queues' | 'now' | 'logger'>;
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
  const queueStats = once(() => readQueueStats({ ctx }));
  const fleetStates = once(() => countFleetStates({ ctx }));
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
  return registry;
}
