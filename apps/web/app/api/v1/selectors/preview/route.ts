import { previewSelector } from '@flotilla/core';
import { z } from 'zod';
import { route } from '@/server/route.ts';

export const dynamic = 'force-dynamic';

/** POST because a selector object does not fit a query string; it changes nothing. */
export const POST = route(
  {
    auth: 'read',
    body: z.object({ selector: z.union([z.string(), z.record(z.string(), z.unknown())]) }),
  },
  async ({ ctx, principal, body }) => ({
    body: await previewSelector({ ctx, principal, selector: body.selector }),
  }),
);
