import { EVENT_SORTS, listEvents } from '@flotilla/core';
import { z } from 'zod';
import { route } from '@/server/route.ts';
import { pageQuery } from '@/server/schemas.ts';

export const dynamic = 'force-dynamic';

const states = [
  'Ready',
  'NotReady',
  'Pending',
  'OutOfSync',
  'Modified',
  'WaitApplied',
  'ErrApplied',
  'Offline',
] as const;

export const GET = route(
  {
    auth: 'read',
    query: pageQuery.extend({
      clusterId: z.string().max(64).optional(),
      bundleId: z.string().max(64).optional(),
      state: z.enum(states).optional(),
      q: z.string().max(256, 'must be at most 256 characters').optional(),
      sort: z.enum(EVENT_SORTS, { message: `must be one of ${EVENT_SORTS.join(', ')}` }).optional(),
    }),
  },
  async ({ ctx, principal, query }) => ({ body: await listEvents({ ctx, principal, ...query }) }),
);
