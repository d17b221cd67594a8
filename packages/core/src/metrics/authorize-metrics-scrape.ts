import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether a scrape of /metrics may be answered: always when no token is configured (the
 * endpoint is meant for a Prometheus inside the cluster), else only with
 * `Authorization: Bearer <token>`. Compared as sha256 digests in constant time, so neither the
 * length nor a prefix of the token leaks through timing.
 */
export function authorizeMetricsScrape({
  authorization,
  token,
}: {
  authorization: string | null | undefined;
  token: string | undefined;
}): boolean {
  if (!token) return true;
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (!match) return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(match[1]!), digest(token));
}
