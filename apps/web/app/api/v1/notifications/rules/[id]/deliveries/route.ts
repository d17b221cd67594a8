import { listNotificationDeliveries } from '@flotilla/core';
import { z } from 'zod';
import { route } from '@/server/route.ts';
import { idParams } from '@/server/schemas.ts';

export const dynamic = 'force-dynamic';

export const GET = route(
  {
    auth: 'read',
    params: idParams,
    query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
  },
  async ({ ctx, principal, params, query }) => ({
    body: await listNotificationDeliveries({
      ctx,
      principal,
      ruleId: params.id,
      limit: query.limit,
    }),
  }),
);
