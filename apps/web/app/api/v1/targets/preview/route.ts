import { previewTargets } from '@flotilla/core';
import { z } from 'zod';
import { route } from '@/server/route.ts';

export const dynamic = 'force-dynamic';

/** The clusters a list of targets would select, without saving it (the targets editor). */
export const POST = route(
  { auth: 'read', body: z.object({ targets: z.array(z.unknown()) }) },
  async ({ ctx, principal, body }) => ({
    body: await previewTargets({ ctx, principal, targets: body.targets }),
  }),
);
