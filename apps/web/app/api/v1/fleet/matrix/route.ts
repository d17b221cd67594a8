import { getCompactFleetMatrix, getFleetMatrix } from '@flotilla/core';
import { z } from 'zod';
import { route } from '@/server/route.ts';

export const dynamic = 'force-dynamic';

export const GET = route(
  {
    auth: 'read',
    query: z.object({
      selector: z.string().max(4096).optional(),
      bundle: z.string().max(200).optional(),
      // Absent or `full`: the documented { clusters, bundles, cells, summary } answer.
      format: z.enum(['full', 'compact']).optional(),
    }),
  },
  async ({ ctx, principal, query, request }) => {
    const { format, ...filters } = query;
    if (format !== 'compact') return { body: await getFleetMatrix({ ctx, principal, ...filters }) };
    const result = await getCompactFleetMatrix({
      ctx,
      principal,
      ...filters,
      ifNoneMatch: request.headers.get('if-none-match') ?? undefined,
    });
    // `no-cache`: a client may keep the answer but must ask (If-None-Match) before using it.
    const headers = { etag: result.etag, 'cache-control': 'private, no-cache' };
    if (result.notModified) return new Response(null, { status: 304, headers });
    return { body: result.matrix, headers };
  },
);
