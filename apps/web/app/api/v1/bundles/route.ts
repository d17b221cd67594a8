import { listBundles } from '@flotilla/core';
import { route } from '@/server/route.ts';

export const dynamic = 'force-dynamic';

export const GET = route({ auth: 'read' }, async ({ ctx, principal }) => ({
  body: await listBundles({ ctx, principal }),
}));
