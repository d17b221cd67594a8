import { pinBundle, releaseBundlePin } from '@flotilla/core';
import { z } from 'zod';
import { route } from '@/server/route.ts';
import { idParams } from '@/server/schemas.ts';

export const dynamic = 'force-dynamic';

const pinBody = z.object({
  commit: z
    .string()
    .trim()
    .regex(/^[0-9a-f]{7,64}$/i, 'a commit SHA (at least 7 hexadecimal characters)')
    .transform((commit) => commit.toLowerCase()),
});

export const PUT = route(
  { auth: 'operate', params: idParams, body: pinBody },
  async ({ ctx, principal, origin, params, body }) => ({
    body: await pinBundle({ ctx, principal, origin, bundleId: params.id, commit: body.commit }),
  }),
);

export const DELETE = route(
  { auth: 'operate', params: idParams },
  async ({ ctx, principal, origin, params }) => ({
    body: await releaseBundlePin({ ctx, principal, origin, bundleId: params.id }),
  }),
);
