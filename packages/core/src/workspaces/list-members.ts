import { forWorkspace, pageArgs, toPage, type Page } from '@flotilla/db';
import type { Principal } from '../auth/principal.ts';
import type { CoreContext } from '../context.ts';
import { memberUserFields, toMemberDto, type MemberDto } from './member-dto.ts';

export async function listMembers({
  ctx,
  principal,
  limit = 100,
  cursor,
}: {
  ctx: Pick<CoreContext, 'db'>;
  principal: Principal;
  limit?: number;
  cursor?: string | undefined;
}): Promise<Page<MemberDto>> {
  const db = forWorkspace(ctx.db, principal.workspaceId);
  const rows = await db.membership.findMany({
    include: { user: memberUserFields },
    ...pageArgs({ limit, cursor }),
  });
  const page = toPage(rows, limit);
  return { items: page.items.map(toMemberDto), nextCursor: page.nextCursor };
}
