import { fleetActionInput, runFleetAction } from '@flotilla/core';
import { route } from '@/server/route.ts';

export const dynamic = 'force-dynamic';

/** 200 with a result per item: one item failing (404, 409) never fails the request. */
export const POST = route(
  { auth: 'operate', body: fleetActionInput },
  async ({ ctx, principal, origin, body }) => ({
    body: await runFleetAction({ ctx, principal, origin, input: body }),
  }),
);
