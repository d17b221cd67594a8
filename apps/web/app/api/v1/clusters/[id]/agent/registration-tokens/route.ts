import { createRegistrationToken } from '@flotilla/core';
import { z } from 'zod';
import { publicUrlOf } from '@/server/agent-route.ts';
import { route } from '@/server/route.ts';
import { idParams } from '@/server/schemas.ts';

export const dynamic = 'force-dynamic';

/** A new one-time registration token (and install command) for an agent cluster. */
export const POST = route(
  { auth: 'operate', params: idParams, body: z.record(z.string(), z.unknown()) },
  async ({ ctx, principal, origin, params, body, request }) => ({
    status: 201,
    headers: { 'cache-control': 'no-store' },
    body: await createRegistrationToken({
      ctx,
      principal,
      origin,
      clusterId: params.id,
      input: body,
      publicUrl: publicUrlOf(request),
    }),
  }),
);
