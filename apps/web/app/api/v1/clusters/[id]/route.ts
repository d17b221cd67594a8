import { deleteCluster, getCluster, updateCluster, type UpdateClusterInput } from '@flotilla/core';
import { z } from 'zod';
import { route } from '@/server/route.ts';
import { idParams } from '@/server/schemas.ts';

export const dynamic = 'force-dynamic';

export const GET = route(
  { auth: 'read', params: idParams },
  async ({ ctx, principal, params }) => ({
    body: await getCluster({ ctx, principal, clusterId: params.id }),
  }),
);

export const PATCH = route(
  { auth: 'operate', params: idParams, body: z.record(z.string(), z.unknown()) },
  async ({ ctx, principal, origin, params, body }) => ({
    body: await updateCluster({
      ctx,
      principal,
      origin,
      clusterId: params.id,
      input: body as UpdateClusterInput,
    }),
  }),
);

export const DELETE = route(
  { auth: 'operate', params: idParams },
  async ({ ctx, principal, origin, params }) => {
    await deleteCluster({ ctx, principal, origin, clusterId: params.id });
    return new Response(null, { status: 204 });
  },
);
