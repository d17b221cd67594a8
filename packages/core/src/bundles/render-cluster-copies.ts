import type { Cluster } from '@flotilla/db';
import {
  customizationsOfClusters,
  EngineError,
  isEngineError,
  renderBundle,
  resolveDeployOptions,
  revisionHash,
  type BundleOptions,
  type RenderedBundle,
  type RemoteBases,
  type RepoFiles,
  type TargetCustomization,
} from '@flotilla/engine';
import { noClusterReads, type Chart, type ClusterReads } from '@flotilla/helm';
import {
  classifyError,
  describeFailure,
  lookupObject,
  probeCluster,
  type ClusterClient,
  type LookupRequest,
} from '@flotilla/kube';
import { selectorOf } from '../cluster-groups/cluster-group-columns.ts';
import { recordClusterApiVersions } from '../clusters/record-cluster-api-versions.ts';
import { labelsOf } from '../clusters/serialize.ts';
import { clusterClientFor } from '../connectivity/cluster-client.ts';
import { isClusterReachable } from '../connectivity/reachability-policy.ts';
import { asJson } from '../json.ts';
import { countRender } from '../metrics/counters.ts';
import { storedTargets } from '../targets/targets.ts';
import type { WorkerContext } from '../worker-context.ts';
import { readValuesFrom } from './read-values-from.ts';

/** What the platform's key is derived for to seed a chart's random functions (SecretBox.derive). */
export const HELM_SEED_PURPOSE = 'helm-random-seed';

/** A customization whose chart reads its cluster: each targeted cluster renders its own copy. */
export interface ClusterCopy {
  name: string;
  customization?: TargetCustomization | undefined;
  chart: Chart;
  /** Remote kustomize bases of a Helm + kustomize copy, fetched once for the shared render. */
  remoteBases?: RemoteBases | undefined;
}

/** One cluster's render: its revision, or why not; nothing when it must wait (cluster away). */
export interface ClusterCopyResult {
  customization: string;
  clusterId: string;
  clusterName: string;
  hash?: string;
  error?: string;
}

/** A render that read any of these may come out differently on another cluster. */
export function readsCluster(reads: ClusterReads): boolean {
  return reads.capabilities || reads.random || reads.lookups > 0;
}

/** fleet.yaml's `helm.valuesFrom` reads each cluster's ConfigMaps and Secrets. */
export function readsValuesFrom(
  options: BundleOptions,
  customization: TargetCustomization | undefined,
): boolean {
  return (resolveDeployOptions(options, customization).helm?.valuesFrom.length ?? 0) > 0;
}

/** Rounds of render-then-fetch for lookups that depend on earlier lookups. */
const MAX_LOOKUP_PASSES = 8;
/** Distinct objects one render may look up. */
const MAX_LOOKUPS = 200;
/** Clusters rendered at once (each may wait on its API server). */
const CONCURRENCY = 8;

/** The cluster could not be asked now (away, not probed yet): render it on a later pass. */
class ClusterAwayError extends Error {
  override readonly name = 'ClusterAwayError';
}

/**
 * Renders, for every targeted cluster of the given customizations that has no render at this
 * commit yet, its own copy: `.Capabilities` from the cluster's recorded version and discovered
 * API versions, `lookup` read from the cluster (read-only, with its credentials), random values
 * seeded by (bundle, cluster, release), `helm.valuesFrom` read from the cluster. Each revision
 * is content-addressed, so clusters whose copies come out identical share one row. A failure
 * is recorded on that cluster's render only; a cluster that cannot be reached now gets no row,
 * and the next plan asks again.
 */
export async function renderClusterCopies({
  ctx,
  bundle,
  commit,
  files,
  options,
  copies,
  rendered,
}: {
  ctx: WorkerContext;
  bundle: {
    id: string;
    workspaceId: string;
    path: string;
    targets: unknown;
    gitRepo: { targets: unknown };
  };
  commit: string;
  files: RepoFiles;
  options: BundleOptions;
  copies: readonly ClusterCopy[];
  /** `${customization}\0${clusterId}` of the clusters rendered at this commit already. */
  rendered: ReadonlySet<string>;
}): Promise<ClusterCopyResult[]> {
  if (copies.length === 0) return [];
  const [clusters, groups] = await Promise.all([
    ctx.db.cluster.findMany({
      where: { workspaceId: bundle.workspaceId },
      orderBy: { name: 'asc' },
    }),
    ctx.db.clusterGroup.findMany({ where: { workspaceId: bundle.workspaceId } }),
  ]);
  const byId = new Map(clusters.map((cluster) => [cluster.id, cluster]));
  const copyByName = new Map(copies.map((copy) => [copy.name, copy]));
  const todo = customizationsOfClusters({
    targets: storedTargets(bundle.targets ?? bundle.gitRepo.targets),
    clusters: clusters.map((cluster) => ({
      id: cluster.id,
      name: cluster.name,
      labels: labelsOf(cluster.labels),
    })),
    groups: groups.map((group) => ({
      name: group.name,
      labels: labelsOf(group.labels),
      selector: selectorOf(group.selector),
    })),
    options,
  }).filter(
    ({ clusterId, customization }) =>
      copyByName.has(customization) && !rendered.has(`${customization}\0${clusterId}`),
  );

  const results: ClusterCopyResult[] = [];
  for (let start = 0; start < todo.length; start += CONCURRENCY) {
    const batch = todo.slice(start, start + CONCURRENCY);
    const done = await Promise.all(
      batch.map(async ({ clusterId, customization }) => {
        const cluster = byId.get(clusterId);
        const copy = copyByName.get(customization);
        if (!cluster || !copy) return undefined;
        return renderOneCluster({ ctx, bundle, commit, files, options, copy, cluster });
      }),
    );
    for (const result of done) if (result) results.push(result);
  }
  return results;
}

async function renderOneCluster({
  ctx,
  bundle,
  commit,
  files,
  options,
  copy,
  cluster,
}: {
  ctx: WorkerContext;
  bundle: { id: string; workspaceId: string; path: string };
  commit: string;
  files: RepoFiles;
  options: BundleOptions;
  copy: ClusterCopy;
  cluster: Cluster;
}): Promise<ClusterCopyResult | undefined> {
  const base = { customization: copy.name, clusterId: cluster.id, clusterName: cluster.name };
  let result: RenderedBundle;
  try {
    result = await renderForCluster({ ctx, bundle, files, options, copy, cluster });
  } catch (error) {
    if (error instanceof ClusterAwayError) {
      ctx.logger.info(
        { bundleId: bundle.id, clusterId: cluster.id, reason: error.message },
        'cluster render deferred',
      );
      return undefined;
    }
    if (!isEngineError(error)) throw error;
    const message = error.message;
    await recordRender(ctx, { bundleId: bundle.id, commit, ...base, error: message });
    return { ...base, error: message };
  } finally {
    await countRender(ctx.redis);
  }
  const hash = revisionHash(result);
  await ctx.db.bundleRevision.upsert({
    where: { workspaceId_hash: { workspaceId: bundle.workspaceId, hash } },
    create: {
      workspaceId: bundle.workspaceId,
      hash,
      objects: asJson(result.objects),
      deployOptions: asJson(result.deployOptions),
      resourceCount: result.objects.length,
    },
    update: {},
  });
  await recordRender(ctx, {
    bundleId: bundle.id,
    commit,
    ...base,
    hash,
    ...(result.helm ? { helm: result.helm } : {}),
  });
  return { ...base, hash };
}

async function recordRender(
  ctx: WorkerContext,
  render: {
    bundleId: string;
    commit: string;
    customization: string;
    clusterId: string;
    hash?: string;
    error?: string;
    helm?: unknown;
  },
): Promise<void> {
  const { bundleId, commit, customization, clusterId } = render;
  await ctx.db.bundleRender.upsert({
    where: {
      bundleId_commit_customization_clusterId: { bundleId, commit, customization, clusterId },
    },
    create: {
      bundleId,
      commit,
      customization,
      clusterId,
      revisionHash: render.hash ?? null,
      error: render.error ?? null,
      ...(render.helm ? { helm: asJson(render.helm) } : {}),
    },
    update: {},
  });
}

/**
 * Renders until every lookup the chart makes has its answer: `lookup` is synchronous in the
 * template engine, so a pass records what it asked for, the objects are read, and the chart is
 * rendered again (a lookup that depends on another takes one more pass). Capabilities'
 * API versions are discovered only when the chart reads them.
 */
async function renderForCluster({
  ctx,
  files,
  bundle,
  options,
  copy,
  cluster,
}: {
  ctx: WorkerContext;
  bundle: { path: string };
  files: RepoFiles;
  options: BundleOptions;
  copy: ClusterCopy;
  cluster: Cluster;
}): Promise<RenderedBundle> {
  let client: ClusterClient | undefined;
  // Every read of the cluster goes through here: none while it is Offline, and none of an
  // agent cluster, which keeps no credentials here.
  const clientOf = (): ClusterClient => {
    if (cluster.connectionKind === 'agent') {
      throw new EngineError(
        'Unsupported',
        'this chart reads its cluster (lookup, valuesFrom or Capabilities.APIVersions), which is not supported yet for agent clusters',
      );
    }
    if (!isClusterReachable(cluster.connectivity)) throw new ClusterAwayError('offline');
    client ??= clusterClientFor(ctx, cluster);
    return client;
  };
  // A cluster registered a moment ago may not have been probed yet: ask its version now.
  const kubeVersion =
    cluster.kubernetesVersion ??
    (await askCluster(async () => {
      const probe = await probeCluster(clientOf());
      if (!probe.ok) throw new ClusterAwayError(probe.reason);
      return probe.kubernetesVersion;
    }, 'reading the Kubernetes version'));
  const deployOptions = resolveDeployOptions(options, copy.customization);
  const refs = deployOptions.helm?.valuesFrom ?? [];
  const valuesFrom =
    refs.length === 0
      ? undefined
      : await askCluster(
          () =>
            readValuesFrom({
              client: clientOf(),
              refs,
              namespace: deployOptions.namespace || deployOptions.defaultNamespace || 'default',
            }),
          'helm.valuesFrom: reading its ConfigMaps and Secrets',
        );

  let apiVersions: string[] | undefined;
  const looked = new Map<string, Record<string, unknown>>();
  for (let pass = 0; pass < MAX_LOOKUP_PASSES; pass++) {
    const missing = new Map<string, LookupRequest>();
    const reads = noClusterReads();
    let rendered: RenderedBundle | undefined;
    let failure: unknown;
    try {
      rendered = renderBundle({
        files,
        bundlePath: bundle.path,
        options,
        customization: copy.customization,
        chart: copy.chart,
        remoteBases: copy.remoteBases,
        limits: { maxBytes: ctx.settings.maxBundleBytes },
        valuesFrom,
        reads,
        seedSecret: ctx.secrets.derive(HELM_SEED_PURPOSE),
        cluster: {
          seedKey: cluster.id,
          kubeVersion,
          apiVersions: apiVersions ?? [],
          lookup: (apiVersion, kind, namespace, name) => {
            const request = { apiVersion, kind, namespace, name };
            const key = JSON.stringify(request);
            const found = looked.get(key);
            if (found) return structuredClone(found);
            missing.set(key, request);
            return {};
          },
        },
      });
    } catch (error) {
      failure = error;
    }
    const needsApiVersions = reads.capabilities && apiVersions === undefined;
    if (missing.size === 0 && !needsApiVersions) {
      if (rendered) return rendered;
      throw failure;
    }
    if (needsApiVersions) {
      apiVersions = await askCluster(() => {
        clientOf();
        return recordClusterApiVersions({ ctx, cluster });
      }, 'Capabilities: discovering the API versions');
    }
    if (looked.size + missing.size > MAX_LOOKUPS) {
      throw new EngineError(
        'HelmFailed',
        `lookup: the chart looks up more than ${MAX_LOOKUPS} objects on this cluster`,
      );
    }
    await Promise.all(
      [...missing].map(async ([key, request]) => {
        const what = `lookup ${request.apiVersion} ${request.kind} ${[request.namespace, request.name].filter(Boolean).join('/') || '(all)'}`;
        looked.set(key, await askCluster(() => lookupObject(clientOf(), request), what));
      }),
    );
  }
  throw new EngineError(
    'HelmFailed',
    `lookup: the chart's lookups did not settle after ${MAX_LOOKUP_PASSES} renders`,
  );
}

/**
 * A read of the cluster. No answer (away, timed out, credentials refused: the probe handles
 * those) defers this cluster's render; an answer that refuses (forbidden, malformed) fails it,
 * naming what was read and never what it held.
 */
async function askCluster<T>(read: () => Promise<T>, what: string): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof ClusterAwayError || isEngineError(error)) throw error;
    const { reason } = classifyError(error);
    if (reason !== 'Forbidden' && reason !== 'Error') throw new ClusterAwayError(reason);
    throw new EngineError('HelmFailed', `${what}: ${describeFailure(error)}`);
  }
}
