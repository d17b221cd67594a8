import { authorizeMetricsScrape } from '@flotilla/core';
import type { NextRequest } from 'next/server';
import { webContext } from '@/server/context.ts';
import { webMetricsRegistry } from '@/server/metrics.ts';

export const dynamic = 'force-dynamic';

/**
 * Prometheus text format. Outside /api/v1 (a scrape target, not part of the API) and outside
 * route(): no session or API token, only FLOTILLA_METRICS_TOKEN when one is configured.
 */
export async function GET(request: NextRequest): Promise<Response> {
  const { config } = webContext();
  const isAllowed = authorizeMetricsScrape({
    authorization: request.headers.get('authorization'),
    token: config.FLOTILLA_METRICS_TOKEN,
  });
  if (!isAllowed) {
    return new Response('send Authorization: Bearer <FLOTILLA_METRICS_TOKEN>\n', {
      status: 401,
      headers: { 'content-type': 'text/plain', 'www-authenticate': 'Bearer' },
    });
  }
  const registry = webMetricsRegistry();
  return new Response(await registry.metrics(), {
    headers: { 'content-type': registry.contentType, 'cache-control': 'no-store' },
  });
}
