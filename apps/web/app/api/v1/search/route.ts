import { searchFleet } from '@flotilla/core';
import { z } from 'zod';
import { route } from '@/server/route.ts';

export const dynamic = 'force-dynamic';

export const GET = route(
  {
    auth: 'read',
    query: z.object({
      q: z
        .string({ message: 'is required: the words or key=value labels to search for' })
        .trim()
        .min(1, 'must not be empty')
        .max(256, 'must be at most 256 characters'),
      limit: z.coerce
        .number()
        .int()
        .min(1, 'must be at least 1')
        .max(50, 'must be at most 50')
        .default(8),
    }),
  },
  async ({ ctx, principal, query }) => ({ body: await searchFleet({ ctx, principal, ...query }) }),
);
