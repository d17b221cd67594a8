import { route } from '@/server/route.ts';
import { readinessResult } from '@/server/readiness.ts';

export const dynamic = 'force-dynamic';

/**
 * Readiness: may this instance take traffic? Only when Postgres and Redis answer (503 naming
 * what is down). Kubernetes stops routing to it meanwhile, without restarting it.
 */
export const GET = route({ auth: 'public' }, ({ ctx }) => readinessResult(ctx));
