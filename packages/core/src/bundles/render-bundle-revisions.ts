import type { Prisma } from '@flotilla/db';
import {
  customizationName,
  isEngineError,
  loadBundleOptions,
  revisionHash,
  type BundleOptions,
  type HelmRenderSummary,
  type RepoFiles,
  type TargetCustomization,
} from '@flotilla/engine';
import { isGitError, isRepoTreeError } from '@flotilla/git';
import { publishUpdates, recordActionEvent } from '../events/record-events.ts';
import { asJson } from '../json.ts';
import { countRender } from '../metrics/counters.ts';
import { openHelmAuth } from '../gitrepos/helm-auth.ts';
import { isChartArchivePath, type FetchedCharts } from './load-bundle-charts.ts';
import { type FetchedRemotes } from './load-remote-bases.ts';
import { renderCustomization } from './render-customization.ts';
import { bundleOptionsOf } from './bundle-options-column.ts';
import { dependencyFactsChanged, replanBundlesWithDependsOn } from './replan-dependents.ts';
import { renderClusterCopies, type ClusterCopy } from './render-cluster-copies.ts';
import { carryUnchangedBundle } from './carry-unchanged-bundle.ts';
import type { WorkerContext } from '../worker-context.ts';

export interface RenderOutcome {
  rendered: number;
  reused: number;
  failed: number;
  error?: string;
}

/** The customizations a commit renders: the bundle's defaults ("") and each named one. */
export function customizationsOf(
  options: BundleOptions,
): { name: string; customization?: TargetCustomization }[] {
  const named = options.targetCustomizations
    .map((customization, index) => ({
      name: customizationName(customization, index),
      customization,
    }))
    .filter(({ customization }) => !customization.doNotDeploy);
  return [{ name: '' }, ...named];
}

/** An engine error's message with the file it names ("… (web/deployment.yaml)"). */
export function describeRenderError(error: unknown): string {
  const where =
    error instanceof Error && 'where' in error && typeof error.where === 'string' && error.where
      ? ` (${error.where})`
      : '';
  return `${error instanceof Error ? error.message : String(error)}${where}`;
}

/** Per-cluster render errors named in a bundle's renderError; the rest are counted. */
const MAX_CLUSTER_ERRORS_SHOWN = 5;

interface Rendered {
  name: string;
  /** Set for a render of one cluster (a chart that reads its cluster). */
  clusterName?: string;
  hash?: string;
  error?: string;
  isReused: boolean;
}

/**
 * Renders one bundle at one commit, once per customization, into content-addressed revisions
 * stored once however many clusters share them. An input already rendered (same bundle,
 * commit, customization) is not rendered again. Each customization stands alone: one that
 * fails (a kustomize dir only some clusters use, say) is recorded with its error, and only the
 * clusters that need it are held back. When nothing renders, the bundle stays on its last good
 * commit, which keeps deploying, and says what failed.
 */
export async function renderBundleRevisions({
  ctx,
  bundleId,
  commit,
  isRerun = false,
}: {
  ctx: WorkerContext;
  bundleId: string;
  commit: string;
  /**
   * The render job runs again after an attempt that was cut short: that attempt may have
   * stored the bundle's commit without queueing its plan.
   */
  isRerun?: boolean;
}): Promise<RenderOutcome> {
  const bundle = await ctx.db.bundle.findUnique({
    where: { id: bundleId },
    include: { gitRepo: true },
  });
  // A newer commit supersedes this job; the repository's latest is what matters.
  if (!bundle || !bundle.isPresent || bundle.gitRepo.commit !== commit)
    return { rendered: 0, reused: 0, failed: 0 };
  const fail = async (message: string): Promise<RenderOutcome> => {
    ctx.logger.warn({ bundle: bundle.name, bundleId, err: message }, 'render failed');
    await ctx.db.bundle.update({
      where: { id: bundleId },
      data: { renderError: message, failedCommit: commit },
    });
    await recordActionEvent({
      ctx,
      event: {
        workspaceId: bundle.workspaceId,
        type: 'RenderFailed',
        bundleId,
        message: `${bundle.name}: ${message}`,
      },
    });
    await publishUpdates(ctx, bundle.workspaceId, [{ type: 'bundle', bundleId }]);
    return { rendered: 0, reused: 0, failed: 1, error: message };
  };

  let files: RepoFiles;
  let archives: ReadonlyMap<string, Uint8Array>;
  let options: BundleOptions;
  try {
    const tree = await ctx.git.readFiles({
      repoId: bundle.gitRepoId,
      commit,
      keepBinary: isChartArchivePath,
      limits: { maxTotalBytes: 200 * 1024 * 1024 },
    });
    const prefix = bundle.path === '' ? '' : `${bundle.path}/`;
    const refused = tree.refused.find(
      (entry) => prefix === '' || entry.path === bundle.path || entry.path.startsWith(prefix),
    );
    if (refused) return fail(`commit ${commit.slice(0, 12)}: ${refused.path}: ${refused.reason}`);
    files = tree.files;
    archives = tree.binaries;
    options = loadBundleOptions(files, bundle.path, undefined, bundle.optionsFile || undefined);
  } catch (error) {
    if (isEngineError(error) || isGitError(error) || isRepoTreeError(error))
      return fail(`commit ${commit.slice(0, 12)}: ${describeRenderError(error)}`);
    throw error;
  }

  const renders = await ctx.db.bundleRender.findMany({ where: { bundleId, commit } });
  const done = new Map(
    renders
      .filter((render) => render.clusterId === '')
      .map((render) => [render.customization, render]),
  );
  // Copies whose chart reads its cluster render once per targeted cluster (after this loop).
  const clusterCopies: ClusterCopy[] = [];
  const results: Rendered[] = [];
  const fetchedCharts: FetchedCharts = new Map();
  const fetchedRemotes: FetchedRemotes = new Map();
  const helmAuth = openHelmAuth(ctx.secrets, bundle.gitRepo);
  for (const { name, customization } of customizationsOf(options)) {
    const previous = done.get(name);
    if (previous && !previous.isPerCluster) {
      results.push({
        name,
        ...(previous.revisionHash ? { hash: previous.revisionHash } : {}),
        ...(previous.error ? { error: previous.error } : {}),
        isReused: true,
      });
      continue;
    }
    let hash: string | undefined;
    let error: string | undefined;
    let helm: HelmRenderSummary | undefined;
    let isPerCluster = previous?.isPerCluster ?? false;
    try {
      const copy = await renderCustomization({
        ctx,
        name,
        files,
        archives,
        bundlePath: bundle.path,
        options,
        customization,
        fetchedCharts,
        fetchedRemotes,
        helmAuth,
        isPerCluster,
      });
      const result = copy.result;
      isPerCluster = copy.clusterCopy !== undefined;
      if (copy.clusterCopy) clusterCopies.push(copy.clusterCopy);
      else if (result) {
        hash = revisionHash(result);
        helm = result.helm;
        await ctx.db.bundleRevision.upsert({
          where: { workspaceId_hash: { workspaceId: bundle.workspaceId, hash } },
          create: {
            workspaceId: bundle.workspaceId,
            hash,
            objects: result.objects as unknown as Prisma.InputJsonValue,
            deployOptions: result.deployOptions as unknown as Prisma.InputJsonValue,
            resourceCount: result.objects.length,
          },
          update: {},
        });
      }
    } catch (caught) {
      if (!isEngineError(caught)) throw caught;
      error = describeRenderError(caught);
    } finally {
      if (!previous) await countRender(ctx.redis);
    }
    if (previous) {
      // Rendered per cluster before: only its clusters without a render are left to do.
      results.push({ name, ...(error ? { error } : {}), isReused: true });
      continue;
    }
    await ctx.db.bundleRender.upsert({
      where: {
        bundleId_commit_customization_clusterId: {
          bundleId,
          commit,
          customization: name,
          clusterId: '',
        },
      },
      create: {
        bundleId,
        commit,
        customization: name,
        revisionHash: hash ?? null,
        error: error ?? null,
        isPerCluster: isPerCluster && !error,
        ...(helm ? { helm: asJson(helm) } : {}),
      },
      update: {},
    });
    results.push({ name, ...(hash ? { hash } : {}), ...(error ? { error } : {}), isReused: false });
  }
  const clusterResults = await renderClusterCopies({
    ctx,
    bundle,
    commit,
    files,
    options,
    copies: clusterCopies,
    rendered: new Set(
      renders
        .filter((render) => render.clusterId !== '')
        .map((render) => `${render.customization}\0${render.clusterId}`),
    ),
  });
  // Clusters rendered on an earlier pass still count, so that their errors stay in the summary.
  const earlier = renders.filter((render) => render.clusterId !== '');
  const names = new Map(
    earlier.some((render) => render.error)
      ? (
          await ctx.db.cluster.findMany({
            where: { id: { in: earlier.map((render) => render.clusterId) } },
            select: { id: true, name: true },
          })
        ).map((cluster) => [cluster.id, cluster.name])
      : [],
  );
  for (const render of earlier) {
    results.push({
      name: `${render.customization || 'defaults'} on ${names.get(render.clusterId) ?? render.clusterId}`,
      clusterName: names.get(render.clusterId) ?? render.clusterId,
      ...(render.revisionHash ? { hash: render.revisionHash } : {}),
      ...(render.error ? { error: render.error } : {}),
      isReused: true,
    });
  }
  for (const result of clusterResults) {
    results.push({
      name: `${result.customization || 'defaults'} on ${result.clusterName}`,
      clusterName: result.clusterName,
      ...(result.hash ? { hash: result.hash } : {}),
      ...(result.error ? { error: result.error } : {}),
      isReused: false,
    });
  }
  const failures = results.filter((result) => result.error);
  // A chart failing on a thousand clusters says so for a few; each deployment shows its own.
  const clusterFailures = failures.filter((result) => result.clusterName !== undefined);
  const shown = [
    ...failures.filter((result) => result.clusterName === undefined),
    ...clusterFailures.slice(0, MAX_CLUSTER_ERRORS_SHOWN),
  ];
  const summary = [
    ...shown.map((result) => `${result.name || 'defaults'}: ${result.error}`),
    ...(clusterFailures.length > MAX_CLUSTER_ERRORS_SHOWN
      ? [
          `${clusterFailures.length - MAX_CLUSTER_ERRORS_SHOWN} more clusters failed to render (each deployment says why)`,
        ]
      : []),
  ].join('; ');
  if (failures.length === results.length) return fail(`commit ${commit.slice(0, 12)}: ${summary}`);
  await ctx.db.bundle.update({
    where: { id: bundleId },
    data: {
      commit,
      options: options as unknown as Prisma.InputJsonValue,
      renderError: failures.length > 0 ? `commit ${commit.slice(0, 12)}: ${summary}` : '',
      failedCommit: null,
    },
  });
  await publishUpdates(ctx, bundle.workspaceId, [{ type: 'bundle', bundleId }]);
  // The same revisions as the commit before (the commit changed other bundles, or files this
  // one does not read): its settled deployments move to the new commit without a plan. A rerun
  // plans, as it may follow an attempt that stored the commit without planning.
  const isCarried =
    !isRerun &&
    bundle.commit !== null &&
    bundle.commit !== commit &&
    failures.length === 0 &&
    clusterCopies.length === 0 &&
    (await carryUnchangedBundle({ ctx, bundle, from: bundle.commit, to: commit, options }));
  // Nothing new (a cluster the chart must read was away again): planning again would only ask
  // for this render again, in a loop. The sweeper's periodic plan retries it.
  if (
    !isCarried &&
    (isRerun || results.some((result) => !result.isReused) || bundle.commit !== commit)
  )
    await ctx.queues.enqueuePlan({ bundleId });
  // Its name, labels or dependsOn changed: what other bundles' dependsOn resolve to may have too.
  if (dependencyFactsChanged(bundleOptionsOf(bundle.options), options))
    await replanBundlesWithDependsOn({ ctx, workspaceId: bundle.workspaceId, exceptId: bundleId });
  return {
    rendered: results.filter((result) => !result.isReused && result.hash).length,
    reused: results.filter((result) => result.isReused).length,
    failed: failures.length,
  };
}
