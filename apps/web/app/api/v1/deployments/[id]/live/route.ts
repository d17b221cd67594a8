import { getDeploymentLive } from '@flotilla/core';
import { route } from '@/server/route.ts';
import { idParams } from '@/server/schemas.ts';

export const dynamic = 'force-dynamic';

/** Desired against live (read by the worker on demand, Secrets masked) and the resource tree. */
export const GET = route(
  { auth: 'read', params: idParams },
  async ({ ctx, principal, params }) => ({
    body: await getDeploymentLive({ ctx, principal, deploymentId: params.id }),
  }),
);
