import {
  CLUSTER_SORTS,
  listClusters,
  registerAgentCluster,
  registerCluster,
  type RegisterClusterInput,
} from '@flotilla/core';
import { z } from 'zod';
import { publicUrlOf } from '@/server/agent-route.ts';
import { route } from '@/server/route.ts';
import { pageQuery } from '@/server/schemas.ts';

export const dynamic = 'force-dynamic';

export const GET = route(
  {
    auth: 'read',
    query: pageQuery.extend({
      selector: z.string().max(4096).optional(),
      q: z.string().max(253, 'must be at most 253 characters').optional(),
      sort: z
        .enum(CLUSTER_SORTS, { message: `must be one of ${CLUSTER_SORTS.join(', ')}` })
        .optional(),
    }),
  },
  async ({ ctx, principal, query }) => ({ body: await listClusters({ ctx, principal, ...query }) }),
);

/**
 * The body is validated by the use case (its schema names each field). `connectionKind:
 * "agent"` registers a cluster reached through an agent: the answer carries its one-time
 * registration token and install command.
 */
export const POST = route(
  { auth: 'operate', body: z.record(z.string(), z.unknown()) },
  async ({ ctx, principal, origin, body, request }) => {
    if (body.connectionKind === 'agent') {
      return {
        status: 201,
        headers: { 'cache-control': 'no-store' },
        body: await registerAgentCluster({
          ctx,
          principal,
          origin,
          input: body,
          publicUrl: publicUrlOf(request),
        }),
      };
    }
    return {
      status: 201,
      body: await registerCluster({ ctx, principal, origin, input: body as RegisterClusterInput }),
    };
  },
);
