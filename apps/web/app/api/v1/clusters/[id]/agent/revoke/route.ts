import { revokeAgentAccess } from '@flotilla/core';
import { route } from '@/server/route.ts';
import { idParams } from '@/server/schemas.ts';

export const dynamic = 'force-dynamic';

/** Revokes the agent's credentials and unused registration tokens: it gets 401 from now on. */
export const POST = route(
  { auth: 'operate', params: idParams },
  async ({ ctx, principal, origin, params }) => ({
    body: await revokeAgentAccess({ ctx, principal, origin, clusterId: params.id }),
  }),
);
