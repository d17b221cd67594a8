import {
  writeDeploymentHistory,
  type BundleDeployment,
  type DeploymentHistoryRow,
  type HistoryResult,
  type HistoryTrigger,
} from '@flotilla/db';
import { newId } from '../ids.ts';
import type { WorkerContext } from '../worker-context.ts';
import { batched, perContext } from './batching.ts';

export const DEFAULT_HISTORY_PER_DEPLOYMENT = 20;

const historyWriter = perContext((ctx: WorkerContext) =>
  batched(async (rows: readonly DeploymentHistoryRow[]) => {
    await writeDeploymentHistory(
      ctx.db,
      rows,
      ctx.historyPerDeployment ?? DEFAULT_HISTORY_PER_DEPLOYMENT,
    );
    return rows.map(() => undefined);
  }),
);

/**
 * Why a deploy ran, for its history entry: a drift correction or a retry of a failed apply
 * say so first; otherwise a revision of the bundle's pinned commit is a rollback, and anything
 * else came from a Git commit. A retry is the queue trying the same job again: the
 * deployment's failed-attempt count would also call a new commit after a failure a retry.
 */
export function historyTrigger({
  deployment,
  pinnedCommit,
  isCorrection,
  isRetry,
}: {
  deployment: Pick<BundleDeployment, 'desiredCommit'>;
  pinnedCommit: string | null;
  isCorrection: boolean;
  isRetry: boolean;
}): HistoryTrigger {
  if (isCorrection) return 'drift';
  if (isRetry) return 'retry';
  if (pinnedCommit !== null && deployment.desiredCommit === pinnedCommit) return 'rollback';
  return 'commit';
}

export interface HistoryEntryInput {
  deployment: Pick<BundleDeployment, 'id' | 'workspaceId' | 'desiredCommit' | 'customization'>;
  revisionHash: string;
  result: HistoryResult;
  error?: string;
  trigger: HistoryTrigger;
}

/** The history row of an apply of the deployment's desired commit. */
export function historyRow(
  { deployment, revisionHash, result, error = '', trigger }: HistoryEntryInput,
  at: Date,
): DeploymentHistoryRow {
  return {
    id: newId(),
    workspaceId: deployment.workspaceId,
    deploymentId: deployment.id,
    commit: deployment.desiredCommit,
    revisionHash,
    customization: deployment.customization,
    result,
    error,
    trigger,
    at,
  };
}

/** Appends one apply (or failed apply) to the deployment's history, batched with other jobs'. */
export async function recordHistory({
  ctx,
  ...entry
}: HistoryEntryInput & { ctx: WorkerContext }): Promise<void> {
  // The history tells what happened; failing to write it must not fail (and re-run) a deploy
  // that did happen.
  await historyWriter(ctx)(historyRow(entry, ctx.now())).catch((error: unknown) => {
    ctx.logger.warn(
      {
        deploymentId: entry.deployment.id,
        err: error instanceof Error ? error.message : String(error),
      },
      'could not record the deployment history',
    );
  });
}
