import { forWorkspace, type BundleDeployment } from '@flotilla/db';
import type { Principal, RequestOrigin } from '../auth/principal.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { recordActionEvent } from '../events/record-events.ts';
import { githubCommitUrlTemplate } from '../gitrepos/serialize.ts';
import { storedResources, type DeploymentCounts, type DeploymentResource } from './resources.ts';

export interface DeploymentDto {
  id: string;
  bundleId: string;
  bundleName: string;
  clusterId: string;
  clusterName: string;
  state: BundleDeployment['state'];
  message: string;
  customization: string;
  /** What Git says now (the bundle's latest revision for this cluster). */
  desiredRevision: string | null;
  desiredCommit: string | null;
  appliedRevision: string | null;
  appliedCommit: string | null;
  commitUrlTemplate: string | null;
  counts: Partial<DeploymentCounts>;
  resources: DeploymentResource[];
  lastError: string | null;
  lastAppliedAt: string | null;
  lastCheckedAt: string | null;
  stateChangedAt: string;
}

type Row = BundleDeployment & {
  bundle: { name: string; gitRepo: { url: string } };
  cluster: { name: string };
};

export function toDeploymentDto(row: Row): DeploymentDto {
  return {
    id: row.id,
    bundleId: row.bundleId,
    bundleName: row.bundle.name,
    clusterId: row.clusterId,
    clusterName: row.cluster.name,
    state: row.state,
    message: row.message,
    customization: row.customization,
    desiredRevision: row.targetHash ?? row.desiredHash,
    desiredCommit: row.targetCommit ?? row.desiredCommit,
    appliedRevision: row.appliedHash,
    appliedCommit: row.appliedCommit,
    commitUrlTemplate: githubCommitUrlTemplate(row.bundle.gitRepo.url),
    counts: (row.counts ?? {}) as Partial<DeploymentCounts>,
    resources: storedResources(row.resources),
    lastError: row.lastError,
    lastAppliedAt: row.lastAppliedAt?.toISOString() ?? null,
    lastCheckedAt: row.lastCheckedAt?.toISOString() ?? null,
    stateChangedAt: row.stateChangedAt.toISOString(),
  };
}

const include = {
  bundle: { select: { name: true, gitRepo: { select: { url: true } } } },
  cluster: { select: { name: true } },
} as const;

export async function listBundleDeployments({
  ctx,
  principal,
  bundleId,
}: {
  ctx: Pick<CoreContext, 'db'>;
  principal: Principal;
  bundleId: string;
}) {
  const db = forWorkspace(ctx.db, principal.workspaceId);
  if (!(await db.bundle.findUnique({ where: { id: bundleId }, select: { id: true } })))
    throw AppError.notFound('bundle');
  const rows = await db.bundleDeployment.findMany({
    where: { bundleId, isOrphaned: false },
    include,
    orderBy: { cluster: { name: 'asc' } },
  });
  return { items: rows.map(toDeploymentDto), nextCursor: null };
}

export async function listClusterDeployments({
  ctx,
  principal,
  clusterId,
}: {
  ctx: Pick<CoreContext, 'db'>;
  principal: Principal;
  clusterId: string;
}) {
  const db = forWorkspace(ctx.db, principal.workspaceId);
  if (!(await db.cluster.findUnique({ where: { id: clusterId }, select: { id: true } })))
    throw AppError.notFound('cluster');
  const rows = await db.bundleDeployment.findMany({
    where: { clusterId, isOrphaned: false },
    include,
    orderBy: { bundle: { name: 'asc' } },
  });
  return { items: rows.map(toDeploymentDto), nextCursor: null };
}

export async function getDeployment({
  ctx,
  principal,
  deploymentId,
}: {
  ctx: Pick<CoreContext, 'db'>;
  principal: Principal;
  deploymentId: string;
}): Promise<DeploymentDto> {
  const row = await forWorkspace(ctx.db, principal.workspaceId).bundleDeployment.findUnique({
    where: { id: deploymentId },
    include,
  });
  if (!row) throw AppError.notFound('deployment');
  return toDeploymentDto(row);
}

/** "Correct drift now": re-apply the applied revision, forcing conflicts, whatever correctDrift says. */
export async function correctDeploymentDrift({
  ctx,
  principal,
  origin,
  deploymentId,
}: {
  ctx: CoreContext;
  principal: Principal;
  origin?: RequestOrigin;
  deploymentId: string;
}): Promise<DeploymentDto> {
  const db = forWorkspace(ctx.db, principal.workspaceId);
  const row = await db.bundleDeployment.findUnique({ where: { id: deploymentId }, include });
  if (!row) throw AppError.notFound('deployment');
  const hash = row.appliedHash ?? row.desiredHash;
  if (!hash) throw new AppError('Conflict', 'nothing has been deployed to this cluster yet');
  await ctx.queues.enqueueDeploys([{ deploymentId, desiredHash: hash, isCorrection: true }]);
  await recordAudit({
    ctx,
    record: {
      workspaceId: principal.workspaceId,
      actor: principal,
      ...(origin ? { origin } : {}),
      action: 'deployment.correct-drift',
      objectType: 'deployment',
      objectId: deploymentId,
      details: { bundle: row.bundle.name, cluster: row.cluster.name },
    },
  });
  await recordActionEvent({
    ctx,
    event: {
      workspaceId: principal.workspaceId,
      type: 'DriftCorrectionRequested',
      clusterId: row.clusterId,
      bundleId: row.bundleId,
      deploymentId,
      message: `${principal.label} asked to correct drift of ${row.bundle.name} on ${row.cluster.name}`,
    },
  });
  return toDeploymentDto(row);
}
