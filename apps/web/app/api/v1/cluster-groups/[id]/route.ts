import { deleteClusterGroup, getClusterGroup, updateClusterGroup } from '@flotilla/core';
import { z } from 'zod';
import { route } from '@/server/route.ts';
import { idParams } from '@/server/schemas.ts';

export const dynamic = 'force-dynamic';

export const GET = route(
  { auth: 'read', params: idParams },
  async ({ ctx, principal, params }) => ({
    body: await getClusterGroup({ ctx, principal, groupId: params.id }),
  }),
);

export const PATCH = route(
  { auth: 'operate', params: idParams, body: z.record(z.string(), z.unknown()) },
  async ({ ctx, principal, origin, params, body }) => ({
    body: await updateClusterGroup({ ctx, principal, origin, groupId: params.id, input: body }),
  }),
);

export const DELETE = route(
  { auth: 'operate', params: idParams },
  async ({ ctx, principal, origin, params }) => {
    await deleteClusterGroup({ ctx, principal, origin, groupId: params.id });
    return new Response(null, { status: 204 });
  },
);
