import { createApiToken, createApiTokenInput, listApiTokens } from '@flotilla/core';
import { route } from '@/server/route.ts';
import { pageQuery } from '@/server/schemas.ts';

export const dynamic = 'force-dynamic';

export const GET = route(
  { auth: 'administer', query: pageQuery },
  async ({ ctx, principal, query }) => ({
    body: await listApiTokens({ ctx, principal, ...query }),
  }),
);

/** `{ name, role, expiresInDays? }` → 201 with the secret `token`, shown this once. */
export const POST = route(
  { auth: 'administer', body: createApiTokenInput },
  async ({ ctx, principal, origin, body }) => ({
    status: 201,
    headers: { 'cache-control': 'no-store' },
    body: await createApiToken({ ctx, principal, origin, input: body }),
  }),
);
