import { listDeploymentObjectEvents, objectEventsQuery } from '@flotilla/core';
import { route } from '@/server/route.ts';
import { idParams } from '@/server/schemas.ts';

export const dynamic = 'force-dynamic';

/** The cluster's events of one object of the deployment's tree, read on demand. */
export const GET = route(
  { auth: 'read', params: idParams, query: objectEventsQuery },
  async ({ ctx, principal, params, query }) => ({
    body: await listDeploymentObjectEvents({
      ctx,
      principal,
      deploymentId: params.id,
      object: query,
    }),
  }),
);
