import { pageArgs, toPage, type Page, type Role } from '@flotilla/db';
import type { Principal } from '../auth/principal.ts';
import type { CoreContext } from '../context.ts';

export interface WorkspaceDto {
  id: string;
  name: string;
  /** The caller's role in it. */
  role: Role;
  isCurrent: boolean;
  createdAt: string;
}

/**
 * The workspaces the caller can work in: a user's memberships; for an API token (bound to
 * one workspace) only its own.
 */
export async function listWorkspaces({
  ctx,
  principal,
  limit = 100,
  cursor,
}: {
  ctx: Pick<CoreContext, 'db'>;
  principal: Principal;
  limit?: number;
  cursor?: string | undefined;
}): Promise<Page<WorkspaceDto>> {
  if (principal.kind !== 'user' || !principal.userId) {
    const workspace = await ctx.db.workspace.findUniqueOrThrow({
      where: { id: principal.workspaceId },
    });
    const item: WorkspaceDto = {
      id: workspace.id,
      name: workspace.name,
      role: principal.role,
      isCurrent: true,
      createdAt: workspace.createdAt.toISOString(),
    };
    return { items: cursor ? [] : [item], nextCursor: null };
  }
  // Memberships are read across workspaces on purpose: this lists the user's own.
  const rows = await ctx.db.membership.findMany({
    where: { userId: principal.userId },
    include: { workspace: true },
    ...pageArgs({ limit, cursor }),
  });
  const page = toPage(rows, limit);
  return {
    items: page.items.map((membership) => ({
      id: membership.workspace.id,
      name: membership.workspace.name,
      role: membership.role,
      isCurrent: membership.workspaceId === principal.workspaceId,
      createdAt: membership.workspace.createdAt.toISOString(),
    })),
    nextCursor: page.nextCursor,
  };
}
