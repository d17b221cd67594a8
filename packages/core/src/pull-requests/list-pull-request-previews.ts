import { forWorkspace } from '@flotilla/db';
import { z } from 'zod';
import type { Principal } from '../auth/principal.ts';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';
import {
  toPullRequestPreviewDto,
  toPullRequestPreviewSummaryDto,
  type PullRequestPreviewDto,
  type PullRequestPreviewSummaryDto,
} from './pull-request-preview-dto.ts';

export const listPullRequestPreviewsQuery = z.object({
  /** open (the default) lists open PRs only; all includes closed ones. */
  state: z.enum(['open', 'all']).default('open'),
});

const MAX_LISTED = 200;

/** The workspace's pull-request previews, most recently updated first. */
export async function listPullRequestPreviews({
  ctx,
  principal,
  query,
}: {
  ctx: Pick<CoreContext, 'db'>;
  principal: Principal;
  query: z.infer<typeof listPullRequestPreviewsQuery>;
}): Promise<{ items: PullRequestPreviewSummaryDto[]; nextCursor: null }> {
  const rows = await forWorkspace(ctx.db, principal.workspaceId).pullRequestPreview.findMany({
    where: query.state === 'open' ? { isOpen: true } : {},
    include: { gitRepo: { select: { id: true, name: true } } },
    orderBy: { updatedAt: 'desc' },
    take: MAX_LISTED,
  });
  return { items: rows.map(toPullRequestPreviewSummaryDto), nextCursor: null };
}

/** One preview with its per-bundle results: clusters and unified diffs per customization. */
export async function getPullRequestPreview({
  ctx,
  principal,
  previewId,
}: {
  ctx: Pick<CoreContext, 'db'>;
  principal: Principal;
  previewId: string;
}): Promise<PullRequestPreviewDto> {
  const row = await forWorkspace(ctx.db, principal.workspaceId).pullRequestPreview.findUnique({
    where: { id: previewId },
    include: { gitRepo: { select: { id: true, name: true } } },
  });
  if (!row) throw AppError.notFound('pull request preview');
  return toPullRequestPreviewDto(row);
}
