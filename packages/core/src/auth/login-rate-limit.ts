import type { Redis } from 'ioredis';
import { AppError } from '../errors.ts';
import { hashSecret } from './tokens.ts';

/**
 * How failed sign-ins are slowed. The unit is the pair (account, client): a guesser's client
 * gets a few free failures, then waits twice as long after each further one, while the same
 * account stays open to every other client. Nothing ever locks an account: a lock is a
 * denial of service anyone can aim at the admin.
 *
 * - pair: after `freeFailures`, the next attempt waits `baseDelaySeconds * 2^(n - free)`,
 *   capped; the pair is forgotten `forgetAfterSeconds` after its wait ends.
 * - client: one client trying many accounts (password spraying) is refused past `limit`
 *   attempts per window; that refuses only this client.
 * - account: past `ceiling` failures per window from all clients together (a botnet, one
 *   guess per address), every pair gets only `freeFailuresOverCeiling` free failure before its
 *   backoff starts. A slow-down for the many, still never a refusal of a client that has not
 *   failed.
 */
export const LOGIN_LIMITS = Object.freeze({
  pair: Object.freeze({
    freeFailures: 5,
    baseDelaySeconds: 1,
    maxDelaySeconds: 15 * 60,
    forgetAfterSeconds: 15 * 60,
  }),
  client: Object.freeze({ limit: 20, windowSeconds: 15 * 60 }),
  account: Object.freeze({ ceiling: 50, freeFailuresOverCeiling: 1, windowSeconds: 15 * 60 }),
});

export interface LoginAttempt {
  pairKey: string;
  accountKey: string;
  clientKey: string | undefined;
}

/** The Redis keys one attempt counts against; the email is hashed so keys hold no address. */
export function loginAttemptKeys(email: string, client: string | undefined): LoginAttempt {
  const account = hashSecret(email.trim().toLowerCase());
  // A request whose client is unknown (no socket address) shares one pair per account.
  const clientPart = client ?? 'unknown';
  return {
    pairKey: `flotilla:login-attempts:pair:${account}:${clientPart}`,
    accountKey: `flotilla:login-attempts:account:${account}`,
    clientKey: client ? `flotilla:login-attempts:client:${client}` : undefined,
  };
}

/**
 * Checks and counts in one script, so that a burst of parallel guesses cannot all pass the
 * check before any is counted. Refused attempts count nothing: waiting is never extended by
 * knocking. Returns {1, failures, delayMs} when admitted, {0, waitMs} when refused.
 */
const RESERVE_SCRIPT = `
local now = tonumber(ARGV[1])
local nextAt = tonumber(redis.call('HGET', KEYS[1], 'next') or '0')
if now < nextAt then return {0, nextAt - now} end
if KEYS[3] ~= '' then
  local clientCount = tonumber(redis.call('GET', KEYS[3]) or '0')
  if clientCount >= tonumber(ARGV[9]) then
    local wait = redis.call('PTTL', KEYS[3])
    if wait < 0 then
      redis.call('PEXPIRE', KEYS[3], ARGV[10])
      wait = tonumber(ARGV[10])
    end
    return {0, wait}
  end
  if redis.call('INCR', KEYS[3]) == 1 then redis.call('PEXPIRE', KEYS[3], ARGV[10]) end
end
local accountCount = redis.call('INCR', KEYS[2])
if accountCount == 1 or redis.call('PTTL', KEYS[2]) < 0 then
  redis.call('PEXPIRE', KEYS[2], ARGV[8])
end
local failures = redis.call('HINCRBY', KEYS[1], 'failures', 1)
local free = tonumber(ARGV[2])
if accountCount > tonumber(ARGV[7]) then free = math.min(free, tonumber(ARGV[3])) end
local delay = 0
if failures >= free then
  delay = math.floor(math.min(tonumber(ARGV[4]) * 2 ^ (failures - free), tonumber(ARGV[5])))
end
redis.call('HSET', KEYS[1], 'next', now + delay)
redis.call('PEXPIRE', KEYS[1], delay + tonumber(ARGV[6]))
return {1, failures, delay}
`;

/**
 * Counts this sign-in attempt as a failure before the password is checked (the caller gives it
 * back on success), and refuses it (429 with the seconds to wait) while this client's wait for
 * this account, or this client's spraying window, has not ended.
 */
export async function reserveLoginAttempt({
  redis,
  email,
  client,
  now,
}: {
  redis: Redis;
  email: string;
  client: string | undefined;
  now: Date;
}): Promise<LoginAttempt> {
  const keys = loginAttemptKeys(email, client);
  const { pair, client: clientLimit, account } = LOGIN_LIMITS;
  let reply: unknown;
  try {
    reply = await redis.eval(
      RESERVE_SCRIPT,
      3,
      keys.pairKey,
      keys.accountKey,
      keys.clientKey ?? '',
      now.getTime(),
      pair.freeFailures,
      account.freeFailuresOverCeiling,
      pair.baseDelaySeconds * 1000,
      pair.maxDelaySeconds * 1000,
      pair.forgetAfterSeconds * 1000,
      account.ceiling,
      account.windowSeconds * 1000,
      clientLimit.limit,
      clientLimit.windowSeconds * 1000,
    );
  } catch {
    // Failing closed: without the counters, sign-in would be open to unlimited guessing.
    throw new AppError(
      'Unavailable',
      'sign-in is unavailable: the attempt counter (Redis) is not answering',
    );
  }
  const [isAdmitted, waitMs] = Array.isArray(reply) ? reply.map(Number) : [];
  if (isAdmitted === 1) return keys;
  const retryAfterSeconds = Math.max(1, Math.ceil((waitMs ?? 1000) / 1000));
  throw new AppError(
    'RateLimited',
    `too many failed sign-ins; try again in ${retryAfterSeconds} seconds`,
    { retryAfterSeconds },
  );
}

/**
 * After a successful sign-in the attempt was no failure: this client starts afresh for this
 * account, and the spraying and ceiling counters get their attempt back. DECR on a key that
 * expired meanwhile would leave one without expiry, so such a key is deleted.
 */
export async function releaseLoginAttempt({
  redis,
  attempt,
}: {
  redis: Redis;
  attempt: LoginAttempt;
}): Promise<void> {
  await redis.del(attempt.pairKey);
  for (const key of [attempt.accountKey, attempt.clientKey]) {
    if (!key) continue;
    const replies = await redis.multi().decr(key).pttl(key).exec();
    const ttl = replies?.[1]?.[1];
    if (typeof ttl !== 'number' || ttl < 0) await redis.del(key);
  }
}
