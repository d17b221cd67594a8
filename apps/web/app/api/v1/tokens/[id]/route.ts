import { revokeApiToken } from '@flotilla/core';
import { route } from '@/server/route.ts';
import { idParams } from '@/server/schemas.ts';

export const dynamic = 'force-dynamic';

/** 204: the token is revoked and answers 401 from now on. */
export const DELETE = route(
  { auth: 'administer', params: idParams },
  async ({ ctx, principal, origin, params }) => {
    await revokeApiToken({ ctx, principal, origin, tokenId: params.id });
    return new Response(null, { status: 204 });
  },
);
