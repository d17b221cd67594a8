import { testClusterConnection } from '@flotilla/core';
import { z } from 'zod';
import { route } from '@/server/route.ts';

export const dynamic = 'force-dynamic';

/** GET /version with a connection from the register or edit form, saving nothing. */
export const POST = route(
  { auth: 'operate', body: z.record(z.string(), z.unknown()) },
  async ({ ctx, principal, body }) => ({
    body: await testClusterConnection({ ctx, principal, input: body }),
  }),
);
