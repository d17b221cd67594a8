import { sendTestNotification } from '@flotilla/core';
import { route } from '@/server/route.ts';
import { idParams } from '@/server/schemas.ts';

export const dynamic = 'force-dynamic';

export const POST = route(
  { auth: 'operate', params: idParams },
  async ({ ctx, principal, origin, params }) => ({
    status: 202,
    body: await sendTestNotification({ ctx, principal, origin, ruleId: params.id }),
  }),
);
