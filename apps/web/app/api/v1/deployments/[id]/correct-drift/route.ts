import { correctDeploymentDrift } from '@flotilla/core';
import { route } from '@/server/route.ts';
import { idParams } from '@/server/schemas.ts';

export const dynamic = 'force-dynamic';

/** 202: a forced re-apply of what Git says is queued. */
export const POST = route(
  { auth: 'operate', params: idParams },
  async ({ ctx, principal, origin, params }) => ({
    status: 202,
    body: await correctDeploymentDrift({ ctx, principal, origin, deploymentId: params.id }),
  }),
);
