import { forWorkspace } from '@flotilla/db';
import { z } from 'zod';
import type { Principal } from '../auth/principal.ts';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';

/** One apply of a deployment, as GET /deployments/{id}/history lists it. */
export interface DeploymentHistoryEntryDto {
  id: string;
  commit: string | null;
  revisionHash: string;
  customization: string;
  result: 'applied' | 'failed';
  /** Why the apply failed; "" when it was applied. */
  error: string;
  trigger: 'commit' | 'drift' | 'retry' | 'rollback';
  at: string;
}

// The columns are plain text: a value this version does not know reads as the nearest one.
const resultColumn = z.enum(['applied', 'failed']).catch('failed');
const triggerColumn = z.enum(['commit', 'drift', 'retry', 'rollback']).catch('commit');

/** The deployment's kept applies, newest first (at most FLOTILLA_HISTORY_PER_DEPLOYMENT). */
export async function listDeploymentHistory({
  ctx,
  principal,
  deploymentId,
}: {
  ctx: Pick<CoreContext, 'db'>;
  principal: Principal;
  deploymentId: string;
}): Promise<{ items: DeploymentHistoryEntryDto[] }> {
  const db = forWorkspace(ctx.db, principal.workspaceId);
  const deployment = await db.bundleDeployment.findUnique({
    where: { id: deploymentId },
    select: { id: true },
  });
  if (!deployment) throw AppError.notFound('deployment');
  const rows = await db.deploymentHistory.findMany({
    where: { deploymentId },
    orderBy: [{ at: 'desc' }, { id: 'desc' }],
  });
  return {
    items: rows.map((row) => ({
      id: row.id,
      commit: row.commit,
      revisionHash: row.revisionHash,
      customization: row.customization,
      result: resultColumn.parse(row.result),
      error: row.error,
      trigger: triggerColumn.parse(row.trigger),
      at: row.at.toISOString(),
    })),
  };
}
