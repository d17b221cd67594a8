import { getAgentDesiredState, MAX_DESIRED_WAIT_SECONDS } from '@flotilla/core';
import { z } from 'zod';
import { agentRoute } from '@/server/agent-route.ts';

export const dynamic = 'force-dynamic';

/**
 * The desired deployments of the agent's cluster. With If-None-Match and `?wait=N` the answer
 * waits up to N seconds for a change (long-poll), else 304.
 */
export const GET = agentRoute(
  {
    query: z.object({
      wait: z.coerce.number().int().min(0).max(MAX_DESIRED_WAIT_SECONDS).default(0),
    }),
  },
  async ({ ctx, agent, query, request }) => {
    const result = await getAgentDesiredState({
      ctx,
      agent,
      ifNoneMatch: request.headers.get('if-none-match') ?? undefined,
      waitSeconds: query.wait,
      signal: request.signal,
    });
    const headers = { etag: result.etag, 'cache-control': 'private, no-cache' };
    if (result.notModified) return new Response(null, { status: 304, headers });
    return { body: result.state, headers };
  },
);
