import { confirmGitRepoRemoval } from '@flotilla/core';
import { route } from '@/server/route.ts';
import { idParams } from '@/server/schemas.ts';

export const dynamic = 'force-dynamic';

/** 200 { confirmedCommit }: the held removal of bundles at the repo's commit may now go ahead. */
export const POST = route(
  { auth: 'operate', params: idParams },
  async ({ ctx, principal, origin, params }) => ({
    status: 200,
    body: await confirmGitRepoRemoval({ ctx, principal, origin, gitRepoId: params.id }),
  }),
);
