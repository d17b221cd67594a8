import { route } from '@/server/route.ts';
import { readinessResult } from '@/server/readiness.ts';

export const dynamic = 'force-dynamic';

/** 200 when Postgres and Redis both answer; 503 naming what is down. Public, like a probe. */
export const GET = route({ auth: 'public' }, ({ ctx }) => readinessResult(ctx));
