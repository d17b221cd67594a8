import { createWorkspace, createWorkspaceInput, listWorkspaces } from '@flotilla/core';
import { route } from '@/server/route.ts';
import { pageQuery } from '@/server/schemas.ts';

export const dynamic = 'force-dynamic';

/** The caller's workspaces with their role in each. */
export const GET = route({ auth: 'read', query: pageQuery }, async ({ ctx, principal, query }) => ({
  body: await listWorkspaces({ ctx, principal, ...query }),
}));

/** `{ name }` → 201; the caller's user becomes its admin. 409 when the name is taken. */
export const POST = route(
  { auth: 'administer', body: createWorkspaceInput },
  async ({ ctx, principal, origin, body }) => ({
    status: 201,
    body: await createWorkspace({ ctx, principal, origin, name: body.name }),
  }),
);
