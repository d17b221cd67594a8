import 'server-only';
import { checkHealth, type CoreContext } from '@flotilla/core';
import type { HandlerResult } from './route.ts';

/**
 * 200 when Postgres and Redis both answer; 503 naming what is down. The answer of
 * /api/v1/health and /api/v1/health/ready alike.
 */
export async function readinessResult(ctx: CoreContext): Promise<HandlerResult> {
  const report = await checkHealth({ ctx });
  if (report.status === 'ok') return { body: { status: 'ok', postgres: 'ok', redis: 'ok' } };
  return {
    status: 503,
    body: {
      status: 'unavailable',
      postgres: report.postgres,
      redis: report.redis,
      detail: `down: ${report.problems.join('; ')}`,
    },
  };
}
