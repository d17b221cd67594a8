import { requestGitRepoSync } from '@flotilla/core';
import { route } from '@/server/route.ts';
import { idParams } from '@/server/schemas.ts';

export const dynamic = 'force-dynamic';

/** 202: the fetch is queued; the repo's state and commit show the outcome. */
export const POST = route(
  { auth: 'operate', params: idParams },
  async ({ ctx, principal, origin, params }) => {
    await requestGitRepoSync({ ctx, principal, origin, gitRepoId: params.id });
    return { status: 202, body: { status: 'queued' } };
  },
);
