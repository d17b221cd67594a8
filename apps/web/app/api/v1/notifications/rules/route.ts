import { createNotificationRule, listNotificationRules } from '@flotilla/core';
import { z } from 'zod';
import { route } from '@/server/route.ts';

export const dynamic = 'force-dynamic';

export const GET = route({ auth: 'read' }, async ({ ctx, principal }) => ({
  body: await listNotificationRules({ ctx, principal }),
}));

export const POST = route(
  { auth: 'operate', body: z.record(z.string(), z.unknown()) },
  async ({ ctx, principal, origin, body }) => ({
    status: 201,
    body: await createNotificationRule({ ctx, principal, origin, input: body }),
  }),
);
