import { listAuditEntries } from '@flotilla/core';
import { z } from 'zod';
import { route } from '@/server/route.ts';
import { pageQuery } from '@/server/schemas.ts';

export const dynamic = 'force-dynamic';

/** Newest first: `?limit&cursor&action&objectType` → `{ items, nextCursor }`. */
export const GET = route(
  {
    auth: 'administer',
    query: pageQuery.extend({
      action: z.string().max(100).optional(),
      objectType: z.string().max(100).optional(),
    }),
  },
  async ({ ctx, principal, query }) => ({
    body: await listAuditEntries({ ctx, principal, ...query }),
  }),
);
