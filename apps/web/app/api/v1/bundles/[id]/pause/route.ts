import { setBundlePaused } from '@flotilla/core';
import { z } from 'zod';
import { route } from '@/server/route.ts';
import { idParams } from '@/server/schemas.ts';

export const dynamic = 'force-dynamic';

export const PUT = route(
  { auth: 'operate', params: idParams, body: z.object({ isPaused: z.boolean() }) },
  async ({ ctx, principal, origin, params, body }) => ({
    body: await setBundlePaused({
      ctx,
      principal,
      origin,
      bundleId: params.id,
      isPaused: body.isPaused,
    }),
  }),
);
