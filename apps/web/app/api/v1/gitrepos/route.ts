import { createGitRepo, GIT_REPO_SORTS, listGitRepos } from '@flotilla/core';
import { z } from 'zod';
import { route } from '@/server/route.ts';

export const dynamic = 'force-dynamic';

export const GET = route(
  {
    auth: 'read',
    query: z.object({
      q: z.string().max(253, 'must be at most 253 characters').optional(),
      sort: z
        .enum(GIT_REPO_SORTS, { message: `must be one of ${GIT_REPO_SORTS.join(', ')}` })
        .optional(),
    }),
  },
  async ({ ctx, principal, query }) => ({
    body: await listGitRepos({ ctx, principal, ...query }),
  }),
);

export const POST = route(
  { auth: 'operate', body: z.record(z.string(), z.unknown()) },
  async ({ ctx, principal, origin, body }) => ({
    status: 201,
    body: await createGitRepo({ ctx, principal, origin, input: body }),
  }),
);
