import { BUNDLE_SORTS, listBundles } from '@flotilla/core';
import { z } from 'zod';
import { route } from '@/server/route.ts';

export const dynamic = 'force-dynamic';

export const GET = route(
  {
    auth: 'read',
    query: z.object({
      q: z.string().max(253, 'must be at most 253 characters').optional(),
      sort: z
        .enum(BUNDLE_SORTS, { message: `must be one of ${BUNDLE_SORTS.join(', ')}` })
        .optional(),
    }),
  },
  async ({ ctx, principal, query }) => ({
    body: await listBundles({ ctx, principal, ...query }),
  }),
);
