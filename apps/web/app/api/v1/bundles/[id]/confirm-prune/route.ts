import { confirmBundlePrune } from '@flotilla/core';
import { route } from '@/server/route.ts';
import { idParams } from '@/server/schemas.ts';

export const dynamic = 'force-dynamic';

/** 200 { confirmed }: every deployment of the bundle held by an empty revision may now prune. */
export const POST = route(
  { auth: 'operate', params: idParams },
  async ({ ctx, principal, origin, params }) => ({
    status: 200,
    body: await confirmBundlePrune({ ctx, principal, origin, bundleId: params.id }),
  }),
);
