import { switchWorkspace, switchWorkspaceInput } from '@flotilla/core';
import { route } from '@/server/route.ts';

export const dynamic = 'force-dynamic';

/** `{ workspaceId }` → 200 the session (as GET /auth/session); 404 when not a member of it. */
export const POST = route(
  { auth: 'read', body: switchWorkspaceInput },
  async ({ ctx, principal, body }) => ({
    body: await switchWorkspace({ ctx, principal, workspaceId: body.workspaceId }),
  }),
);
