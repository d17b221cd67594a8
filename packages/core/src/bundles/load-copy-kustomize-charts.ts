import { fetchChart } from '@flotilla/charts';
import {
  loadKustomizeCharts,
  type BundleOptions,
  type KustomizeCharts,
  type RepoFiles,
  type TargetCustomization,
} from '@flotilla/engine';
import type { WorkerContext } from '../worker-context.ts';

/**
 * The charts one copy of a kustomize bundle inflates through `helmCharts:`: chart folders of
 * the bundle, and charts pulled from an entry's `repo` into the worker's chart cache (as
 * kustomize's `helm pull`: same address policy, bounds and digests as fleet.yaml charts; no
 * credentials yet). Failures name the kustomization entry and fail this copy only.
 */
export function loadCopyKustomizeCharts({
  ctx,
  ...input
}: {
  ctx: WorkerContext;
  files: RepoFiles;
  bundlePath: string;
  options: BundleOptions;
  customization?: TargetCustomization | undefined;
}): Promise<KustomizeCharts | undefined> {
  return loadKustomizeCharts({
    ...input,
    pullChart: async ({ repo, name, version }) =>
      (
        await fetchChart({
          spec: { repo, chart: name, version },
          cacheDir: ctx.settings.chartCacheDir,
        })
      ).chart,
  });
}
