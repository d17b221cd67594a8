import { forWorkspace, type Prisma } from '@flotilla/db';
import { auditedWrite } from '../audit/audited-write.ts';
import type { Principal, RequestOrigin } from '../auth/principal.ts';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { recordActionEvent } from '../events/record-events.ts';
import { getBundle, type BundleDetailDto } from './get-bundle.ts';
import {
  promotedPartitionsFor,
  storedRolloutStatus,
  type RolloutPromotion,
  type StoredRolloutHalt,
} from './rollout-status.ts';

interface RolloutActionInput {
  ctx: CoreContext;
  principal: Principal;
  origin?: RequestOrigin;
  bundleId: string;
}

/** The bundle and where its rollout of the current commit halted; 409 when it did not. */
async function haltedRollout({ ctx, principal, bundleId }: RolloutActionInput) {
  const db = forWorkspace(ctx.db, principal.workspaceId);
  const bundle = await db.bundle.findUnique({ where: { id: bundleId } });
  if (!bundle) throw AppError.notFound('bundle');
  const status = storedRolloutStatus(bundle.rolloutStatus);
  if (!status?.halted || !bundle.commit || status.commit !== bundle.commit)
    throw new AppError('Conflict', 'the rollout of this bundle is not halted');
  return { bundle: { ...bundle, commit: bundle.commit }, halted: status.halted };
}

const where = (halted: StoredRolloutHalt) =>
  `partition ${halted.partition} of ${halted.of} ("${halted.name}")`;

/**
 * Promote: the rollout of the bundle's current commit goes on past the halted partition. The
 * bundle records the commit and how many partitions were promoted past; planning then no longer
 * counts their failing clusters, so the next partitions are released. A new commit starts a
 * rollout of its own, which may halt again.
 */
export async function promoteRollout(input: RolloutActionInput): Promise<BundleDetailDto> {
  const { ctx, principal, origin, bundleId } = input;
  const { bundle, halted } = await haltedRollout(input);
  const promotion: RolloutPromotion = {
    commit: bundle.commit,
    partitions: Math.max(
      halted.partition,
      promotedPartitionsFor(bundle.rolloutPromotion, bundle.commit),
    ),
  };
  await auditedWrite({
    ctx,
    principal,
    origin,
    write: (tx) =>
      tx.bundle.update({
        where: { id: bundleId },
        data: { rolloutPromotion: promotion as unknown as Prisma.InputJsonValue },
      }),
    audit: () => ({
      action: 'bundle.rollout-promote',
      objectType: 'bundle',
      objectId: bundleId,
      details: {
        name: bundle.name,
        commit: bundle.commit,
        partition: halted.partition,
        of: halted.of,
        failing: halted.failing.map((cluster) => cluster.clusterName),
      },
    }),
  });
  await recordActionEvent({
    ctx,
    event: {
      workspaceId: principal.workspaceId,
      type: 'RolloutPromoted',
      bundleId,
      message: `${principal.label} promoted the rollout of ${bundle.name} past ${where(halted)}`,
    },
  });
  await ctx.queues.enqueuePlan({ bundleId });
  return getBundle({ ctx, principal, bundleId });
}

/**
 * Retry: the failing clusters of the halted partition get their deploys queued again now. The
 * rollout stays halted until they turn out well (or an operator promotes it).
 */
export async function retryRollout(input: RolloutActionInput): Promise<BundleDetailDto> {
  const { ctx, principal, origin, bundleId } = input;
  const { bundle, halted } = await haltedRollout(input);
  const db = forWorkspace(ctx.db, principal.workspaceId);
  const deployments = await db.bundleDeployment.findMany({
    where: {
      bundleId,
      clusterId: { in: halted.failing.map((cluster) => cluster.clusterId) },
      isOrphaned: false,
      desiredHash: { not: null },
      // An agent cluster pulls its revision and retries by itself.
      cluster: { connectionKind: { not: 'agent' } },
    },
    select: { id: true, desiredHash: true },
  });
  const deploys = deployments.flatMap((row) =>
    row.desiredHash ? [{ deploymentId: row.id, desiredHash: row.desiredHash }] : [],
  );
  await auditedWrite({
    ctx,
    principal,
    origin,
    write: (tx) =>
      tx.bundleDeployment.updateMany({
        where: { id: { in: deploys.map((deploy) => deploy.deploymentId) } },
        data: { lastEnqueuedAt: ctx.now() },
      }),
    audit: () => ({
      action: 'bundle.rollout-retry',
      objectType: 'bundle',
      objectId: bundleId,
      details: {
        name: bundle.name,
        commit: bundle.commit,
        partition: halted.partition,
        of: halted.of,
        clusters: halted.failing.map((cluster) => cluster.clusterName),
      },
    }),
  });
  await ctx.queues.enqueueDeploys(deploys);
  await recordActionEvent({
    ctx,
    event: {
      workspaceId: principal.workspaceId,
      type: 'RolloutRetried',
      bundleId,
      message: `${principal.label} retried ${deploys.length} failing ${deploys.length === 1 ? 'cluster' : 'clusters'} of ${bundle.name} at ${where(halted)}`,
    },
  });
  return getBundle({ ctx, principal, bundleId });
}
