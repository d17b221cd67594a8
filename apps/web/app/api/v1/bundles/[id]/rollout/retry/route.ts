import { retryRollout } from '@flotilla/core';
import { route } from '@/server/route.ts';
import { idParams } from '@/server/schemas.ts';

export const dynamic = 'force-dynamic';

/** 200 the bundle: the failing clusters of its halted rollout deploy again; 409 when not halted. */
export const POST = route(
  { auth: 'operate', params: idParams },
  async ({ ctx, principal, origin, params }) => ({
    status: 200,
    body: await retryRollout({ ctx, principal, origin, bundleId: params.id }),
  }),
);
