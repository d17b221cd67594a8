import { Redis } from 'ioredis';
import pg from 'pg';

/**
 * Before taking work: can we reach PostgreSQL and Redis at all? A wrong URL ends the process
 * with one line naming which and why (never the URL's password).
 */
export async function verifyServices({
  databaseUrl,
  redisUrl,
}: {
  databaseUrl: string;
  redisUrl: string;
}): Promise<void> {
  const problems: string[] = [];
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    problems.push(`DATABASE_URL: cannot use PostgreSQL (${firstLine(error)})`);
  } finally {
    await client.end().catch(() => undefined);
  }
  const redis = new Redis(redisUrl, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 5000,
  });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    problems.push(`REDIS_URL: cannot use Redis (${firstLine(error)})`);
  } finally {
    redis.disconnect();
  }
  if (problems.length > 0) {
    process.stderr.write(`flotilla: ${problems.join('; ')}\n`);
    process.exit(1);
  }
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!.replace(/\/\/[^@/\s]*@/g, '//');
}
