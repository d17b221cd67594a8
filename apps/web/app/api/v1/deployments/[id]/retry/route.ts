import { retryDeploymentApply } from '@flotilla/core';
import { route } from '@/server/route.ts';
import { idParams } from '@/server/schemas.ts';

export const dynamic = 'force-dynamic';

/** 202: the failed apply's revision is queued again; 409 unless the deployment is ErrApplied. */
export const POST = route(
  { auth: 'operate', params: idParams },
  async ({ ctx, principal, origin, params }) => ({
    status: 202,
    body: await retryDeploymentApply({ ctx, principal, origin, deploymentId: params.id }),
  }),
);
