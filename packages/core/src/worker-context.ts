import type { GitCache } from '@flotilla/git';
import type { ClusterClientPool } from '@flotilla/kube';
import type { CoreContext } from './context.ts';

/** Timings and limits of the reconcile loop (from the worker's configuration). */
export interface WorkerSettings {
  probeIntervalMs: number;
  /** Longest wait between probes of a failing cluster. */
  probeBackoffCapMs: number;
  /** Consecutive failed probes (network errors) before a cluster shows Offline. */
  offlineAfterFailures: number;
  monitorIntervalMs: number;
  /** Work queued this long ago that has not happened is queued again by the sweeper. */
  requeueAfterMs: number;
  maxBundleBytes: number;
  /** Where downloaded Helm charts are cached (FLOTILLA_CHART_CACHE_DIR); none when absent. */
  chartCacheDir?: string;
  /** FLOTILLA_CHART_CACHE_MAX_BYTES / _MAX_FILES; the charts package's defaults when absent. */
  chartCacheLimits?: { maxBytes: number; maxFiles: number };
  /** file:// repository URLs: for tests and the local demo only. */
  allowFileGitUrls: boolean;
  /** Deploy jobs run at once by this worker (FLOTILLA_WORKER_CONCURRENCY): the slots shared fairly. */
  deployConcurrency?: number;
  /** Deploy slots one cluster may hold; unset: max(1, ceil(slots / clusters asking)). */
  clusterSlotShare?: number;
  /** A sync removing more than this share of a repo's bundles waits for a confirmation (0.5). */
  maxBundleRemovalShare?: number;
  /** The dashboard's public URL (FLOTILLA_PUBLIC_URL): commit statuses link to it. */
  publicUrl?: string;
  /** How often a commit still rolling out has its GitHub status checked again (5000 ms). */
  githubStatusRecheckMs?: number;
}

/** What worker-side use cases may use on top of CoreContext: clusters and git. */
export interface WorkerContext extends CoreContext {
  clusters: ClusterClientPool;
  git: GitCache;
  settings: WorkerSettings;
}

export function jittered(ms: number): number {
  return Math.round(ms * (0.75 + Math.random() * 0.5));
}
