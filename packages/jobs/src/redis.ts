import { Redis } from 'ioredis';

/**
 * An ioredis connection as BullMQ wants it: maxRetriesPerRequest null, so a blocking worker
 * connection rides out a Redis restart instead of throwing on every command.
 */
export function createRedis(
  url: string,
  { isBlocking = false }: { isBlocking?: boolean } = {},
): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: isBlocking ? null : 3,
    enableReadyCheck: true,
    lazyConnect: false,
    retryStrategy: (times) => Math.min(times * 200, 5000),
  });
}
