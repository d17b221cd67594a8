import type { Redis } from 'ioredis';
import { AppError } from '../errors.ts';
import { hashSecret } from './tokens.ts';

/**
 * Failed sign-ins allowed per fixed window: few per account (a password guesser's target),
 * more per client address (an office behind one NAT, a user mistyping several accounts).
 */
export const LOGIN_LIMITS = Object.freeze({
  account: Object.freeze({ limit: 5, windowSeconds: 15 * 60 }),
  client: Object.freeze({ limit: 20, windowSeconds: 15 * 60 }),
});

export interface LoginCounter {
  scope: 'account' | 'client';
  key: string;
  limit: number;
  windowSeconds: number;
}

export interface CounterReading {
  count: number;
  /** Seconds until the window ends; negative when Redis reports the key has no expiry. */
  ttlSeconds: number;
  limit: number;
  windowSeconds: number;
}

export type LoginVerdict = { isLimited: false } | { isLimited: true; retryAfterSeconds: number };

/** The Redis keys one attempt counts against; the email is hashed so keys hold no address. */
export function loginCounters(email: string, ip: string | undefined): LoginCounter[] {
  const account: LoginCounter = {
    scope: 'account',
    key: `flotilla:login-attempts:account:${hashSecret(email.trim().toLowerCase())}`,
    ...LOGIN_LIMITS.account,
  };
  if (!ip) return [account];
  return [
    account,
    { scope: 'client', key: `flotilla:login-attempts:client:${ip}`, ...LOGIN_LIMITS.client },
  ];
}

/** Limited when any counter is past its limit; the caller may retry when the last of those ends. */
export function loginVerdict(readings: readonly CounterReading[]): LoginVerdict {
  const exceeded = readings.filter((reading) => reading.count > reading.limit);
  if (exceeded.length === 0) return { isLimited: false };
  const seconds = exceeded.map((reading) =>
    reading.ttlSeconds > 0 ? reading.ttlSeconds : reading.windowSeconds,
  );
  return { isLimited: true, retryAfterSeconds: Math.max(1, ...seconds) };
}

/**
 * Counts this sign-in attempt before the password is checked, and refuses it (429) when the
 * account or the client is over its limit. Counting first, in one MULTI, is what makes the
 * limit hold against parallel requests: checking then counting would let a burst of guesses
 * all pass the check. `SET NX EX` starts a window only once, and INCR keeps its expiry, so
 * refused attempts never extend the wait.
 */
export async function reserveLoginAttempt({
  redis,
  email,
  ip,
}: {
  redis: Redis;
  email: string;
  ip: string | undefined;
}): Promise<LoginCounter[]> {
  const counters = loginCounters(email, ip);
  const multi = redis.multi();
  for (const counter of counters) {
    multi
      .set(counter.key, '0', 'EX', counter.windowSeconds, 'NX')
      .incr(counter.key)
      .ttl(counter.key);
  }
  const replies = await execOrUnavailable(multi.exec());
  const readings = counters.map((counter, index): CounterReading => ({
    count: Number(replyValue(replies, index * 3 + 1)),
    ttlSeconds: Number(replyValue(replies, index * 3 + 2)),
    limit: counter.limit,
    windowSeconds: counter.windowSeconds,
  }));
  // A key without expiry would block forever; give it a window (see releaseLoginAttempt).
  await Promise.all(
    counters.map((counter, index) =>
      readings[index]!.ttlSeconds < 0
        ? redis.expire(counter.key, counter.windowSeconds)
        : undefined,
    ),
  );
  const verdict = loginVerdict(readings);
  if (verdict.isLimited) {
    throw new AppError(
      'RateLimited',
      `too many failed sign-ins; try again in ${verdict.retryAfterSeconds} seconds`,
      { retryAfterSeconds: verdict.retryAfterSeconds },
    );
  }
  return counters;
}

/**
 * After a successful sign-in: the account starts afresh, and the client gets its attempt
 * back (a success is not a failure). DECR on a key that expired meanwhile would create one
 * without expiry, so such a key is deleted.
 */
export async function releaseLoginAttempt({
  redis,
  counters,
}: {
  redis: Redis;
  counters: readonly LoginCounter[];
}): Promise<void> {
  for (const counter of counters) {
    if (counter.scope === 'account') {
      await redis.del(counter.key);
      continue;
    }
    const replies = await execOrUnavailable(
      redis.multi().decr(counter.key).ttl(counter.key).exec(),
    );
    if (Number(replyValue(replies, 1)) < 0) await redis.del(counter.key);
  }
}

type ExecReplies = [error: Error | null, result: unknown][];

async function execOrUnavailable(pending: Promise<ExecReplies | null>): Promise<ExecReplies> {
  let replies: ExecReplies | null;
  try {
    replies = await pending;
  } catch {
    // Failing closed: without the counters, sign-in would be open to unlimited guessing.
    throw new AppError(
      'Unavailable',
      'sign-in is unavailable: the attempt counter (Redis) is not answering',
    );
  }
  if (!replies)
    throw new AppError(
      'Unavailable',
      'sign-in is unavailable: the attempt counter was interrupted',
    );
  return replies;
}

function replyValue(replies: ExecReplies, index: number): unknown {
  const reply = replies[index];
  if (!reply)
    throw new Error(`Redis answered ${replies.length} replies; expected more than ${index}`);
  if (reply[0]) throw reply[0];
  return reply[1];
}
