import {
  deleteNotificationRule,
  getNotificationRule,
  updateNotificationRule,
} from '@flotilla/core';
import { z } from 'zod';
import { route } from '@/server/route.ts';
import { idParams } from '@/server/schemas.ts';

export const dynamic = 'force-dynamic';

export const GET = route(
  { auth: 'read', params: idParams },
  async ({ ctx, principal, params }) => ({
    body: await getNotificationRule({ ctx, principal, ruleId: params.id }),
  }),
);

export const PATCH = route(
  { auth: 'operate', params: idParams, body: z.record(z.string(), z.unknown()) },
  async ({ ctx, principal, origin, params, body }) => ({
    body: await updateNotificationRule({ ctx, principal, origin, ruleId: params.id, input: body }),
  }),
);

export const DELETE = route(
  { auth: 'operate', params: idParams },
  async ({ ctx, principal, origin, params }) => {
    await deleteNotificationRule({ ctx, principal, origin, ruleId: params.id });
    return new Response(null, { status: 204 });
  },
);
