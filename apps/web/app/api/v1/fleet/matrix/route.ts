import { getFleetMatrix } from '@flotilla/core';
import { z } from 'zod';
import { route } from '@/server/route.ts';

export const dynamic = 'force-dynamic';

export const GET = route(
  {
    auth: 'read',
    query: z.object({
      selector: z.string().max(4096).optional(),
      bundle: z.string().max(200).optional(),
    }),
  },
  async ({ ctx, principal, query }) => ({
    body: await getFleetMatrix({ ctx, principal, ...query }),
  }),
);
