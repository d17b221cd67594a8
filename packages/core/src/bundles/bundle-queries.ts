import {
  forWorkspace,
  Prisma,
  type Bundle,
  type BundleDeployment,
  type Cluster,
} from '@flotilla/db';
import { aggregateStates, selectTargetedClusters, type DeploymentState } from '@flotilla/engine';
import type { Principal, RequestOrigin } from '../auth/principal.ts';
import { selectorOf } from '../cluster-groups/cluster-groups.ts';
import { labelsOf, toClusterDto, type ClusterDto } from '../clusters/serialize.ts';
import { auditedWrite } from '../audit/audited-write.ts';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { asJson } from '../json.ts';
import { parseTargets, storedTargets, type Target } from '../targets/targets.ts';
import { githubCommitUrlTemplate } from '../gitrepos/serialize.ts';
import { bundleOptionsOf } from './bundle-options-column.ts';

export interface BundleDto {
  id: string;
  name: string;
  path: string;
  gitRepo: { id: string; name: string; url: string; commit: string | null };
  commit: string | null;
  /** The repository's web page for a commit (`{commit}` to replace), when it is on GitHub. */
  commitUrlTemplate: string | null;
  renderError: string;
  failedCommit: string | null;
  isPaused: boolean;
  /** Paused in Git (options file) rather than in Flotilla. */
  isPausedInGit: boolean;
  hasOwnTargets: boolean;
  options: {
    namespace: string | null;
    defaultNamespace: string | null;
    kustomizeDir: string | null;
    correctDrift: boolean;
    keepResources: boolean;
    customizations: string[];
  };
  summary: Partial<Record<DeploymentState, number>>;
  state: DeploymentState | null;
  deployments: number;
}

export function toBundleDto(
  bundle: Bundle & { gitRepo: { id: string; name: string; url: string; commit: string | null } },
  deployments: Pick<BundleDeployment, 'state'>[],
): BundleDto {
  const options = bundleOptionsOf(bundle.options);
  const { state, counts } = aggregateStates(deployments.map((deployment) => deployment.state));
  return {
    id: bundle.id,
    name: bundle.name,
    path: bundle.path,
    gitRepo: {
      id: bundle.gitRepo.id,
      name: bundle.gitRepo.name,
      url: bundle.gitRepo.url,
      commit: bundle.gitRepo.commit,
    },
    commit: bundle.commit,
    commitUrlTemplate: githubCommitUrlTemplate(bundle.gitRepo.url),
    renderError: bundle.renderError,
    failedCommit: bundle.failedCommit,
    isPaused: bundle.paused || options.paused,
    isPausedInGit: options.paused,
    hasOwnTargets: bundle.targets !== null,
    options: {
      namespace: options.namespace ?? null,
      defaultNamespace: options.defaultNamespace ?? null,
      kustomizeDir: options.kustomize?.dir ?? null,
      correctDrift: options.correctDrift?.enabled ?? false,
      keepResources: options.keepResources ?? false,
      customizations: options.targetCustomizations.map(
        (customization, index) => customization.name || `#${index}`,
      ),
    },
    summary: Object.fromEntries(Object.entries(counts).filter(([, count]) => count > 0)),
    state: state ?? null,
    deployments: deployments.length,
  };
}

export async function listBundles({
  ctx,
  principal,
}: {
  ctx: Pick<CoreContext, 'db'>;
  principal: Principal;
}): Promise<{ items: BundleDto[]; nextCursor: null }> {
  const db = forWorkspace(ctx.db, principal.workspaceId);
  const [bundles, deployments] = await Promise.all([
    db.bundle.findMany({
      where: { isPresent: true, gitRepo: { deletedAt: null } },
      include: { gitRepo: true },
      orderBy: [{ name: 'asc' }],
    }),
    db.bundleDeployment.findMany({
      where: { isOrphaned: false },
      select: { bundleId: true, state: true },
    }),
  ]);
  return {
    items: bundles.map((bundle) =>
      toBundleDto(
        bundle,
        deployments.filter((deployment) => deployment.bundleId === bundle.id),
      ),
    ),
    nextCursor: null,
  };
}

export async function getBundle({
  ctx,
  principal,
  bundleId,
}: {
  ctx: Pick<CoreContext, 'db'>;
  principal: Principal;
  bundleId: string;
}): Promise<BundleDto> {
  const db = forWorkspace(ctx.db, principal.workspaceId);
  const bundle = await db.bundle.findUnique({
    where: { id: bundleId },
    include: { gitRepo: true },
  });
  if (!bundle) throw AppError.notFound('bundle');
  const deployments = await db.bundleDeployment.findMany({
    where: { bundleId, isOrphaned: false },
    select: { state: true },
  });
  return toBundleDto(bundle, deployments);
}

export interface BundleTargetsDto {
  targets: Target[];
  /** True when the bundle uses its GitRepo's targets. */
  inherited: boolean;
  /** The clusters the targets select now, each with the index of the first target that matched. */
  clusters: (ClusterDto & { targetIndex: number })[];
}

async function targetsView(
  ctx: Pick<CoreContext, 'db'>,
  workspaceId: string,
  targets: Target[],
  inherited: boolean,
): Promise<BundleTargetsDto> {
  const db = forWorkspace(ctx.db, workspaceId);
  const [clusters, groups] = await Promise.all([
    db.cluster.findMany({ orderBy: { name: 'asc' } }),
    db.clusterGroup.findMany(),
  ]);
  const byId = new Map<string, Cluster>(clusters.map((cluster) => [cluster.id, cluster]));
  const selected = selectTargetedClusters(
    targets,
    clusters.map((cluster) => ({
      id: cluster.id,
      name: cluster.name,
      labels: labelsOf(cluster.labels),
    })),
    groups.map((group) => ({
      name: group.name,
      labels: labelsOf(group.labels),
      selector: selectorOf(group.selector),
    })),
  );
  return {
    targets,
    inherited,
    clusters: selected.map((match) => ({
      ...toClusterDto(byId.get(match.cluster.id)!),
      targetIndex: match.index,
    })),
  };
}

export async function getBundleTargets({
  ctx,
  principal,
  bundleId,
}: {
  ctx: Pick<CoreContext, 'db'>;
  principal: Principal;
  bundleId: string;
}): Promise<BundleTargetsDto> {
  const bundle = await forWorkspace(ctx.db, principal.workspaceId).bundle.findUnique({
    where: { id: bundleId },
    include: { gitRepo: true },
  });
  if (!bundle) throw AppError.notFound('bundle');
  const inherited = bundle.targets === null;
  return targetsView(
    ctx,
    principal.workspaceId,
    storedTargets(inherited ? bundle.gitRepo.targets : bundle.targets),
    inherited,
  );
}

/** Previews targets without saving them: the editor's live preview. */
export async function previewTargets({
  ctx,
  principal,
  targets,
}: {
  ctx: Pick<CoreContext, 'db'>;
  principal: Principal;
  targets: unknown;
}): Promise<BundleTargetsDto> {
  return targetsView(ctx, principal.workspaceId, parseTargets(targets), false);
}

/** PUT: the bundle's own ordered targets, or null to use its GitRepo's; re-plans at once. */
export async function setBundleTargets({
  ctx,
  principal,
  origin,
  bundleId,
  targets,
}: {
  ctx: CoreContext;
  principal: Principal;
  origin?: RequestOrigin;
  bundleId: string;
  targets: unknown;
}): Promise<BundleTargetsDto> {
  const db = forWorkspace(ctx.db, principal.workspaceId);
  const bundle = await db.bundle.findUnique({ where: { id: bundleId } });
  if (!bundle) throw AppError.notFound('bundle');
  const parsed = targets === null ? null : parseTargets(targets);
  await auditedWrite({
    ctx,
    principal,
    origin,
    write: (tx) =>
      tx.bundle.update({
        where: { id: bundleId },
        data: { targets: parsed === null ? Prisma.DbNull : asJson(parsed) },
      }),
    audit: () => ({
      action: 'bundle.set-targets',
      objectType: 'bundle',
      objectId: bundleId,
      details: { name: bundle.name, targets: parsed === null ? 'inherited' : asJson(parsed) },
    }),
  });
  await ctx.queues.enqueuePlan({ bundleId });
  return getBundleTargets({ ctx, principal, bundleId });
}

export async function setBundlePaused({
  ctx,
  principal,
  origin,
  bundleId,
  isPaused,
}: {
  ctx: CoreContext;
  principal: Principal;
  origin?: RequestOrigin;
  bundleId: string;
  isPaused: boolean;
}): Promise<BundleDto> {
  const db = forWorkspace(ctx.db, principal.workspaceId);
  const bundle = await db.bundle.findUnique({ where: { id: bundleId } });
  if (!bundle) throw AppError.notFound('bundle');
  await auditedWrite({
    ctx,
    principal,
    origin,
    write: (tx) => tx.bundle.update({ where: { id: bundleId }, data: { paused: isPaused } }),
    audit: () => ({
      action: isPaused ? 'bundle.pause' : 'bundle.resume',
      objectType: 'bundle',
      objectId: bundleId,
      details: { name: bundle.name },
    }),
  });
  await ctx.queues.enqueuePlan({ bundleId });
  return getBundle({ ctx, principal, bundleId });
}
