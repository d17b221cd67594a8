import { testGitRepoConnection } from '@flotilla/core';
import { z } from 'zod';
import { route } from '@/server/route.ts';

export const dynamic = 'force-dynamic';

/** `git ls-remote` (in the worker) with the connect or edit form's fields, saving nothing. */
export const POST = route(
  { auth: 'operate', body: z.record(z.string(), z.unknown()) },
  async ({ ctx, principal, body }) => ({
    body: await testGitRepoConnection({ ctx, principal, input: body }),
  }),
);
