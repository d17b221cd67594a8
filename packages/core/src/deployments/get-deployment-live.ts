import { showObjectYaml, type ResourceTreeNode } from '@flotilla/engine';
import { forWorkspace } from '@flotilla/db';
import type { Principal } from '../auth/principal.ts';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';
import {
  liveAnswerSchema,
  liveKey,
  liveViewRefs,
  LIVE_READ_TIMEOUT_MS,
  refOf,
  type LiveAnswer,
  type LiveUnavailable,
  type ShownObject,
} from './live-view.ts';
import { storedInventory } from './resources.ts';
import { loadRevisions } from './revision-cache.ts';

/** One object of the deployment, as Git wants it and as the cluster has it. */
export interface LiveObjectDto {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  /** Null: the desired revision no longer has it (the last apply left it; it is pruned next). */
  desired: ShownObject | null;
  /** Null: not on the cluster (or not read: see `liveError` and the view's `live`). */
  live: ShownObject | null;
  liveError: string | null;
}

/** GET /deployments/{id}/live: desired against live, and the resource tree. */
export interface DeploymentLiveDto {
  deploymentId: string;
  clusterName: string;
  /** The revision the desired side is from: the one being applied (or that failed), else the applied one. */
  revision: { hash: string; commit: string | null } | null;
  objects: LiveObjectDto[];
  /** More objects than the view reads: only the first ones are shown. */
  isTruncated: boolean;
  tree: ResourceTreeNode[];
  /** Lists that failed while following owner references (the tree may lack their objects). */
  treeErrors: string[];
  live:
    | { status: 'read'; readAt: string }
    | { status: 'unavailable'; reason: LiveUnavailable['reason']; message: string };
}

/**
 * The deployment's desired objects (from its revision, Secret values masked) and, read by the
 * worker on demand, the same objects live with the tree their controllers made. The web never
 * holds a cluster credential: it asks the worker (a live-read job) and waits a bounded time.
 */
export async function getDeploymentLive({
  ctx,
  principal,
  deploymentId,
}: {
  ctx: Pick<CoreContext, 'db' | 'queues' | 'now'>;
  principal: Principal;
  deploymentId: string;
}): Promise<DeploymentLiveDto> {
  const db = forWorkspace(ctx.db, principal.workspaceId);
  const row = await db.bundleDeployment.findUnique({
    where: { id: deploymentId },
    include: { cluster: { select: { name: true } } },
  });
  if (!row) throw AppError.notFound('deployment');
  const hash = row.desiredHash ?? row.appliedHash;
  const commit = row.desiredHash ? row.desiredCommit : row.appliedCommit;
  const revision = hash
    ? (await loadRevisions(ctx, principal.workspaceId, [hash])).get(hash)
    : undefined;
  const desired = new Map(
    (revision?.objects ?? []).map((object) => [liveKey(refOf(object)), object]),
  );
  const { refs, isTruncated } = liveViewRefs({
    desired: revision?.objects ?? [],
    inventory: storedInventory(row.inventory),
  });

  const answer = await askWorker(ctx, {
    deploymentId,
    workspaceId: principal.workspaceId,
    request: { what: 'objects' },
  });
  const live =
    answer.kind === 'objects' ? new Map(answer.objects.map((o) => [liveKey(o), o])) : null;
  return {
    deploymentId,
    clusterName: row.cluster.name,
    revision: hash ? { hash, commit } : null,
    objects: refs.map((ref) => {
      const wanted = desired.get(liveKey(ref));
      const seen = live?.get(liveKey(ref));
      return {
        ...ref,
        desired: wanted ? showObjectYaml(wanted) : null,
        live: seen?.live ?? null,
        liveError: seen?.error ?? null,
      };
    }),
    isTruncated,
    tree: answer.kind === 'objects' ? answer.tree : [],
    treeErrors: answer.kind === 'objects' ? answer.errors : [],
    live:
      answer.kind === 'unavailable'
        ? { status: 'unavailable', reason: answer.reason, message: answer.message }
        : { status: 'read', readAt: ctx.now().toISOString() },
  };
}

/** A live read through the worker; what it did not answer in time or in shape is said in words. */
export async function askWorker(
  ctx: Pick<CoreContext, 'queues'>,
  payload: Parameters<CoreContext['queues']['requestLiveRead']>[0],
): Promise<LiveAnswer> {
  const result = await ctx.queues.requestLiveRead(payload, { timeoutMs: LIVE_READ_TIMEOUT_MS });
  switch (result.outcome) {
    case 'timeout':
      return {
        kind: 'unavailable',
        reason: 'timeout',
        message: `no answer within ${LIVE_READ_TIMEOUT_MS / 1000} s: the worker is busy or the cluster is slow; try again`,
      };
    case 'failed':
      return {
        kind: 'unavailable',
        reason: 'failed',
        message: `the live read failed: ${result.reason}`,
      };
    case 'answered': {
      const parsed = liveAnswerSchema.safeParse(result.value);
      return parsed.success
        ? parsed.data
        : {
            kind: 'unavailable',
            reason: 'failed',
            message: 'the live read answered in an unknown shape',
          };
    }
    default:
      return result satisfies never;
  }
}
