import { deleteGithubConnection, getGithubSettings, setGithubConnection } from '@flotilla/core';
import { z } from 'zod';
import { route } from '@/server/route.ts';
import { idParams } from '@/server/schemas.ts';

export const dynamic = 'force-dynamic';

/** The repo's GitHub connection (never its token or key) and its latest commit statuses. */
export const GET = route(
  { auth: 'read', params: idParams },
  async ({ ctx, principal, params }) => ({
    body: await getGithubSettings({ ctx, principal, gitRepoId: params.id }),
  }),
);

/** Connects the repo to GitHub or replaces the connection; the body is checked in core (zod). */
export const PUT = route(
  { auth: 'operate', params: idParams, body: z.record(z.string(), z.unknown()) },
  async ({ ctx, principal, origin, params, body }) => ({
    body: await setGithubConnection({ ctx, principal, origin, gitRepoId: params.id, input: body }),
  }),
);

export const DELETE = route(
  { auth: 'operate', params: idParams },
  async ({ ctx, principal, origin, params }) => {
    await deleteGithubConnection({ ctx, principal, origin, gitRepoId: params.id });
    return new Response(null, { status: 204 });
  },
);
