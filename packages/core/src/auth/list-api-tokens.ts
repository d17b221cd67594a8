import { forWorkspace, pageArgs, toPage, type Page } from '@flotilla/db';
import type { CoreContext } from '../context.ts';
import { toApiTokenDto, type ApiTokenDto } from './api-token-dto.ts';
import type { Principal } from './principal.ts';

/** The workspace's API tokens, newest first, revoked ones included (they say when). */
export async function listApiTokens({
  ctx,
  principal,
  limit = 100,
  cursor,
}: {
  ctx: Pick<CoreContext, 'db'>;
  principal: Principal;
  limit?: number;
  cursor?: string | undefined;
}): Promise<Page<ApiTokenDto>> {
  const db = forWorkspace(ctx.db, principal.workspaceId);
  const rows = await db.apiToken.findMany({
    ...pageArgs({ limit, cursor }),
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
  });
  const page = toPage(rows, limit);
  return { items: page.items.map(toApiTokenDto), nextCursor: page.nextCursor };
}
