import type { CoreContext } from '../context.ts';

export interface HealthReport {
  status: 'ok' | 'degraded';
  postgres: 'ok' | 'down';
  redis: 'ok' | 'down';
  /** What is down and why, for the 503 body. */
  problems: string[];
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/** Really asks PostgreSQL and Redis, each bounded in time, both at once. */
export async function checkHealth({
  ctx,
  timeoutMs = 2000,
}: {
  ctx: Pick<CoreContext, 'db' | 'redis'>;
  timeoutMs?: number;
}): Promise<HealthReport> {
  const [postgres, redis] = await Promise.allSettled([
    withTimeout(ctx.db.$queryRawUnsafe('SELECT 1'), timeoutMs, 'postgres'),
    withTimeout(ctx.redis.ping(), timeoutMs, 'redis'),
  ]);
  const problems: string[] = [];
  if (postgres.status === 'rejected') problems.push(`postgres: ${reason(postgres.reason)}`);
  if (redis.status === 'rejected') problems.push(`redis: ${reason(redis.reason)}`);
  return {
    status: problems.length === 0 ? 'ok' : 'degraded',
    postgres: postgres.status === 'fulfilled' ? 'ok' : 'down',
    redis: redis.status === 'fulfilled' ? 'ok' : 'down',
    problems,
  };
}

function reason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // Connection errors can carry the URL; keep only the first line and drop credentials.
  return message
    .split('\n')[0]!
    .replace(/\/\/[^@/\s]*@/g, '//')
    .slice(0, 200);
}
