import { confirmDeploymentPrune } from '@flotilla/core';
import { route } from '@/server/route.ts';
import { idParams } from '@/server/schemas.ts';

export const dynamic = 'force-dynamic';

/** 200: the held revision with no objects may now prune this deployment's objects. */
export const POST = route(
  { auth: 'operate', params: idParams },
  async ({ ctx, principal, origin, params }) => ({
    status: 200,
    body: await confirmDeploymentPrune({ ctx, principal, origin, deploymentId: params.id }),
  }),
);
