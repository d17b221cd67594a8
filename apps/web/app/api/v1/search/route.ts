import { searchFleet } from '@flotilla/core';
import { z } from 'zod';
import { route } from '@/server/route.ts';

export const dynamic = 'force-dynamic';

const MAX_TERMS = 8;

export const GET = route(
  {
    auth: 'read',
    query: z.object({
      q: z
        .string({ message: 'is required: the words or key=value labels to search for' })
        .trim()
        .min(1, 'must not be empty')
        .max(256, 'must be at most 256 characters')
        // Each word is a query of its own (labels are searched per word): keep a request cheap.
        .refine(
          (q) => q.split(/\s+/).length <= MAX_TERMS,
          `must have at most ${MAX_TERMS} words and key=value labels`,
        ),
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
