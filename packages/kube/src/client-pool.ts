import { createClusterClient, type ClusterClient, type ClusterClientOptions } from './client.ts';
import type { BreakerState } from './circuit-breaker.ts';
import type { ClusterConnection } from './connection.ts';

/**
 * One ClusterClient per cluster for the whole process. The bound on requests in flight lives in
 * the client, so every job touching a cluster must share its client for the bound to mean
 * anything: three concurrent deploy jobs against one cluster still make at most `concurrency`
 * requests at a time. That bound is per process; `acquireSharedSlot` adds one per cluster that
 * other processes share (the worker passes its Redis-backed fleet limit), so N worker processes
 * still make at most `concurrency` requests to a cluster between them.
 */
export interface ClusterClientPoolOptions extends Omit<ClusterClientOptions, 'acquireSharedSlot'> {
  /** A cluster's slot shared with other processes; see ClusterClientOptions.acquireSharedSlot. */
  acquireSharedSlot?: (clusterId: string) => Promise<() => Promise<void>>;
}

export class ClusterClientPool {
  readonly #clients = new Map<string, { credentialsVersion: string; client: ClusterClient }>();

  constructor(private readonly options: ClusterClientPoolOptions = {}) {}

  /**
   * The client of a cluster. `credentialsVersion` is anything that changes when the URL, CA or
   * credentials change (a hash, an updatedAt); a new version replaces the client. `connect` is
   * only called when a client has to be made, so credentials are decrypted once, not per job.
   */
  get(
    clusterId: string,
    credentialsVersion: string,
    connect: () => ClusterConnection,
  ): ClusterClient {
    const pooled = this.#clients.get(clusterId);
    if (pooled?.credentialsVersion === credentialsVersion) return pooled.client;
    pooled?.client.close();
    const { acquireSharedSlot, ...options } = this.options;
    const client = createClusterClient(connect(), {
      ...options,
      ...(acquireSharedSlot ? { acquireSharedSlot: () => acquireSharedSlot(clusterId) } : {}),
    });
    this.#clients.set(clusterId, { credentialsVersion, client });
    return client;
  }

  /** Forgets a cluster (deleted, or its credentials were rejected); its requests in flight finish. */
  evict(clusterId: string): void {
    this.#clients.get(clusterId)?.client.close();
    this.#clients.delete(clusterId);
  }

  /** The breaker of a cluster's client ('closed' when it has none yet). */
  breakerState(clusterId: string): BreakerState {
    return this.#clients.get(clusterId)?.client.breakerState() ?? 'closed';
  }

  closeAll(): void {
    for (const clusterId of [...this.#clients.keys()]) this.evict(clusterId);
  }

  get size(): number {
    return this.#clients.size;
  }
}

/** The process-wide pool (worker and web share nothing else about clusters). */
export const clusterClients = new ClusterClientPool();
