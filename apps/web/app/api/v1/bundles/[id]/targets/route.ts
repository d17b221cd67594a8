import { getBundleTargets, setBundleTargets } from '@flotilla/core';
import { z } from 'zod';
import { route } from '@/server/route.ts';
import { idParams } from '@/server/schemas.ts';

export const dynamic = 'force-dynamic';

export const GET = route(
  { auth: 'read', params: idParams },
  async ({ ctx, principal, params }) => ({
    body: await getBundleTargets({ ctx, principal, bundleId: params.id }),
  }),
);

/** `{ targets: Target[] | null }`: the bundle's own ordered targets, or null to use its GitRepo's. */
export const PUT = route(
  {
    auth: 'operate',
    params: idParams,
    body: z.object({ targets: z.array(z.unknown()).nullable() }),
  },
  async ({ ctx, principal, origin, params, body }) => ({
    body: await setBundleTargets({
      ctx,
      principal,
      origin,
      bundleId: params.id,
      targets: body.targets,
    }),
  }),
);
