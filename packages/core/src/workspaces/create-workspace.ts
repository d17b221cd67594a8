import { isUniqueViolation } from '@flotilla/db';
import type { Principal, RequestOrigin } from '../auth/principal.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';
import type { WorkspaceDto } from './list-workspaces.ts';

/**
 * A new, empty workspace whose first admin is the user behind the caller (the signed-in user,
 * or the user who created the API token). The bootstrap token stands for no user: a workspace
 * made by it would have no one to manage it.
 */
export async function createWorkspace({
  ctx,
  principal,
  origin,
  name,
}: {
  ctx: Pick<CoreContext, 'db'>;
  principal: Principal;
  origin?: RequestOrigin;
  name: string;
}): Promise<WorkspaceDto> {
  const { userId } = principal;
  if (!userId) {
    throw new AppError(
      'Forbidden',
      'only a user can create a workspace (its first admin): sign in',
    );
  }
  const workspace = await ctx.db.workspace
    .create({ data: { name, memberships: { create: { userId, role: 'admin' } } } })
    .catch((error: unknown) => {
      if (isUniqueViolation(error)) {
        throw new AppError('Conflict', `a workspace named "${name}" already exists`);
      }
      throw error;
    });
  const record = {
    actor: principal,
    ...(origin ? { origin } : {}),
    action: 'workspace.create',
    objectType: 'workspace',
    objectId: workspace.id,
    details: { name },
  };
  // In both: the new workspace's history starts with it, and the admins of the current one see
  // who branched off.
  await Promise.all([
    recordAudit({ ctx, record: { ...record, workspaceId: workspace.id } }),
    recordAudit({ ctx, record: { ...record, workspaceId: principal.workspaceId } }),
  ]);
  return {
    id: workspace.id,
    name: workspace.name,
    role: 'admin',
    isCurrent: false,
    createdAt: workspace.createdAt.toISOString(),
  };
}
