import { exchangeRegistrationToken } from '@flotilla/core';
import { z } from 'zod';
import { route } from '@/server/route.ts';

export const dynamic = 'force-dynamic';

/** `{ token, agentVersion? }` → 201 `{ credential, clusterId, clusterName }`, once per token. */
export const POST = route(
  { auth: 'public', body: z.record(z.string(), z.unknown()) },
  async ({ ctx, origin, body }) => ({
    status: 201,
    headers: { 'cache-control': 'no-store' },
    body: await exchangeRegistrationToken({ ctx, origin, input: body }),
  }),
);
