import { changeMemberRole, changeMemberRoleInput, removeMember } from '@flotilla/core';
import { route } from '@/server/route.ts';
import { idParams } from '@/server/schemas.ts';

export const dynamic = 'force-dynamic';

/** `{ role }` → 200 the member; their sessions end. 409 when it would leave no admin. */
export const PATCH = route(
  { auth: 'administer', params: idParams, body: changeMemberRoleInput },
  async ({ ctx, principal, origin, params, body }) => ({
    body: await changeMemberRole({ ctx, principal, origin, memberId: params.id, role: body.role }),
  }),
);

/** 204; their sessions end and their tokens here are revoked. 409 for the last admin. */
export const DELETE = route(
  { auth: 'administer', params: idParams },
  async ({ ctx, principal, origin, params }) => {
    await removeMember({ ctx, principal, origin, memberId: params.id });
    return new Response(null, { status: 204 });
  },
);
