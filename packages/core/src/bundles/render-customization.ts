import {
  renderBundle,
  type BundleOptions,
  type RenderedBundle,
  type RepoFiles,
  type TargetCustomization,
} from '@flotilla/engine';
import { noClusterReads, type Chart } from '@flotilla/helm';
import type { HelmAuth } from '../gitrepos/schemas.ts';
import type { WorkerContext } from '../worker-context.ts';
import { loadCopyChart, type FetchedCharts } from './load-bundle-charts.ts';
import { loadCopyKustomizeCharts } from './load-copy-kustomize-charts.ts';
import { loadRemoteBases, type FetchedRemotes } from './load-remote-bases.ts';
import {
  HELM_SEED_PURPOSE,
  readsCluster,
  readsValuesFrom,
  type ClusterCopy,
} from './render-cluster-copies.ts';

export interface CustomizationRender {
  /** The shared render of the customization; undefined when it must render per cluster. */
  result?: RenderedBundle;
  /** Set when its chart reads its cluster (lookup, Capabilities, random, valuesFrom). */
  clusterCopy?: ClusterCopy;
}

/**
 * Renders one copy (customization) of a bundle from the files of one commit, without a
 * cluster: the chart, remote kustomize bases and kustomize charts are loaded, then the engine
 * renders. A chart that reads its cluster is not rendered here but returned as a cluster copy.
 * Used by the render job and by pull-request previews, so that a preview renders exactly what a
 * merge would. Throws the engine's errors (EngineError) for the caller to record.
 */
export async function renderCustomization({
  ctx,
  name,
  files,
  archives,
  bundlePath,
  options,
  customization,
  fetchedCharts,
  fetchedRemotes,
  helmAuth,
  isPerCluster = false,
  seedSecret,
}: {
  ctx: WorkerContext;
  /** The customization's name as customizationsOf gives it ("" for the defaults). */
  name: string;
  files: RepoFiles;
  archives?: ReadonlyMap<string, Uint8Array> | undefined;
  bundlePath: string;
  options: BundleOptions;
  customization?: TargetCustomization | undefined;
  fetchedCharts: FetchedCharts;
  fetchedRemotes: FetchedRemotes;
  /** The GitRepo's chart credentials; left out where secrets must not be used (fork PRs). */
  helmAuth?: HelmAuth | undefined;
  /** Known from an earlier render to read its cluster: skip the shared render. */
  isPerCluster?: boolean;
  /** Seed of Helm's random functions; the worker's derived secret unless given. */
  seedSecret?: string;
}): Promise<CustomizationRender> {
  const chart: Chart | undefined = await loadCopyChart({
    ctx,
    files,
    bundlePath,
    options,
    customization,
    fetched: fetchedCharts,
    archives,
    helmAuth,
  });
  const remoteBases = await loadRemoteBases({
    ctx,
    files,
    bundlePath,
    options,
    customization,
    fetched: fetchedRemotes,
  });
  const kustomizeCharts = await loadCopyKustomizeCharts({
    ctx,
    files,
    bundlePath,
    options,
    customization,
  });
  // A chart that reads its cluster (or takes values from it) renders once per cluster: a
  // render without a cluster first says whether it does.
  let perCluster = isPerCluster || (chart !== undefined && readsValuesFrom(options, customization));
  let result: RenderedBundle | undefined;
  if (!perCluster) {
    const reads = noClusterReads();
    try {
      result = renderBundle({
        files,
        bundlePath,
        options,
        customization,
        chart,
        remoteBases,
        kustomizeCharts,
        reads,
        seedSecret: seedSecret ?? ctx.secrets.derive(HELM_SEED_PURPOSE),
        limits: { maxBytes: ctx.settings.maxBundleBytes },
      });
    } catch (caught) {
      // Failing after it read the cluster, it may well render with the cluster's answers.
      if (!chart || !readsCluster(reads)) throw caught;
    }
    perCluster = chart !== undefined && readsCluster(reads);
  }
  if (perCluster && chart) return { clusterCopy: { name, customization, chart, remoteBases } };
  return result ? { result } : {};
}
