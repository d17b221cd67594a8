import { getAgentRevision } from '@flotilla/core';
import { z } from 'zod';
import { agentRoute } from '@/server/agent-route.ts';

export const dynamic = 'force-dynamic';

/**
 * A rendered revision by its sha256: gzipped JSON, immutable, so cacheable for ever. Sent as
 * an application/gzip body rather than with Content-Encoding: `next start` drops a Content-
 * Encoding set by a route handler and would deliver gzip bytes labelled as JSON.
 */
export const GET = agentRoute(
  { params: z.object({ hash: z.string().regex(/^[a-f0-9]{64}$/) }) },
  async ({ ctx, agent, params, request }) => {
    const revision = await getAgentRevision({ ctx, agent, hash: params.hash });
    const headers = {
      etag: revision.etag,
      'cache-control': 'private, max-age=31536000, immutable',
      'content-type': 'application/gzip',
    };
    if (request.headers.get('if-none-match') === revision.etag)
      return new Response(null, { status: 304, headers });
    return new Response(new Uint8Array(revision.gzipped), { headers });
  },
);
