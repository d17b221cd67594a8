import { deleteSyncWindow, updateSyncWindow } from '@flotilla/core';
import { z } from 'zod';
import { route } from '@/server/route.ts';
import { idParams } from '@/server/schemas.ts';

export const dynamic = 'force-dynamic';

export const PATCH = route(
  { auth: 'operate', params: idParams, body: z.record(z.string(), z.unknown()) },
  async ({ ctx, principal, origin, params, body }) => ({
    body: await updateSyncWindow({ ctx, principal, origin, windowId: params.id, input: body }),
  }),
);

export const DELETE = route(
  { auth: 'operate', params: idParams },
  async ({ ctx, principal, origin, params }) => {
    await deleteSyncWindow({ ctx, principal, origin, windowId: params.id });
    return new Response(null, { status: 204 });
  },
);
