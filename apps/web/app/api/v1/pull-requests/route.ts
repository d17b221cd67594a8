import { listPullRequestPreviews, listPullRequestPreviewsQuery } from '@flotilla/core';
import { route } from '@/server/route.ts';

export const dynamic = 'force-dynamic';

/** The workspace's pull-request previews (open ones unless `state=all`). */
export const GET = route(
  { auth: 'read', query: listPullRequestPreviewsQuery },
  async ({ ctx, principal, query }) => ({
    body: await listPullRequestPreviews({ ctx, principal, query }),
  }),
);
