import { describeSession } from '@flotilla/core';
import { route } from '@/server/route.ts';

export const dynamic = 'force-dynamic';

/** Who am I: user, current workspace and role, and the workspaces I can switch to. */
export const GET = route({ auth: 'read' }, async ({ ctx, principal }) => ({
  body: await describeSession({ ctx, principal }),
}));
