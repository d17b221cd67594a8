import { getPullRequestPreview } from '@flotilla/core';
import { route } from '@/server/route.ts';
import { idParams } from '@/server/schemas.ts';

export const dynamic = 'force-dynamic';

/** One preview: per bundle and customization, the clusters and the unified diffs. */
export const GET = route(
  { auth: 'read', params: idParams },
  async ({ ctx, principal, params }) => ({
    body: await getPullRequestPreview({ ctx, principal, previewId: params.id }),
  }),
);
