import type { Role } from '@flotilla/db';
import type { CoreContext } from '../context.ts';
import type { Principal } from './principal.ts';

export interface SessionDto {
  kind: Principal['kind'];
  label: string;
  user: { id: string; email: string; name: string } | null;
  workspace: { id: string; name: string };
  role: Role;
  workspaces: { id: string; name: string; role: Role }[];
}

export async function describeSession({
  ctx,
  principal,
}: {
  ctx: Pick<CoreContext, 'db'>;
  principal: Principal;
}): Promise<SessionDto> {
  const workspace = await ctx.db.workspace.findUniqueOrThrow({
    where: { id: principal.workspaceId },
    select: { id: true, name: true },
  });
  const user = principal.userId
    ? await ctx.db.user.findUnique({
        where: { id: principal.userId },
        select: { id: true, email: true, name: true },
      })
    : null;
  const memberships =
    principal.kind === 'user' && user
      ? await ctx.db.membership.findMany({
          where: { userId: user.id },
          include: { workspace: { select: { name: true } } },
          orderBy: { workspace: { name: 'asc' } },
        })
      : [];
  return {
    kind: principal.kind,
    label: principal.label,
    user,
    workspace,
    role: principal.role,
    workspaces:
      principal.kind === 'user'
        ? memberships.map((membership) => ({
            id: membership.workspaceId,
            name: membership.workspace.name,
            role: membership.role,
          }))
        : [{ id: workspace.id, name: workspace.name, role: principal.role }],
  };
}
