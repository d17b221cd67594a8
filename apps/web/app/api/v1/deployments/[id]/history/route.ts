import { listDeploymentHistory } from '@flotilla/core';
import { route } from '@/server/route.ts';
import { idParams } from '@/server/schemas.ts';

export const dynamic = 'force-dynamic';

export const GET = route(
  { auth: 'read', params: idParams },
  async ({ ctx, principal, params }) => ({
    body: await listDeploymentHistory({ ctx, principal, deploymentId: params.id }),
  }),
);
