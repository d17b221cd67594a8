import { renderAgentInstall } from '@flotilla/core';
import { z } from 'zod';
import { publicUrlOf } from '@/server/agent-route.ts';
import { route } from '@/server/route.ts';

export const dynamic = 'force-dynamic';

/** The manifest that installs the agent; the registration token is its only credential. */
export const GET = route(
  { auth: 'public', query: z.object({ token: z.string().min(1, 'is required').max(200) }) },
  async ({ ctx, query, request }) => {
    const manifest = await renderAgentInstall({
      ctx,
      token: query.token,
      publicUrl: publicUrlOf(request),
    });
    return new Response(manifest, {
      headers: { 'content-type': 'application/yaml; charset=utf-8', 'cache-control': 'no-store' },
    });
  },
);
