import { addMember, addMemberInput, listMembers } from '@flotilla/core';
import { route } from '@/server/route.ts';
import { pageQuery } from '@/server/schemas.ts';

export const dynamic = 'force-dynamic';

export const GET = route(
  { auth: 'administer', query: pageQuery },
  async ({ ctx, principal, query }) => ({
    body: await listMembers({ ctx, principal, ...query }),
  }),
);

/** `{ email, role, password?, name? }` → 201; a new email needs a password (12+ characters). */
export const POST = route(
  { auth: 'administer', body: addMemberInput },
  async ({ ctx, principal, origin, body }) => ({
    status: 201,
    body: await addMember({ ctx, principal, origin, input: body }),
  }),
);
