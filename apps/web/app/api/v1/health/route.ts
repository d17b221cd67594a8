import { checkHealth } from '@flotilla/core';
import { route } from '@/server/route.ts';

export const dynamic = 'force-dynamic';

/** 200 when Postgres and Redis both answer; 503 naming what is down. Public, like a probe. */
export const GET = route({ auth: 'public' }, async ({ ctx }) => {
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
});
