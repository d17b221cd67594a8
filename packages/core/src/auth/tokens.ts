import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** sha256 hex: how API tokens and session secrets are stored (never the secret itself). */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function constantTimeEquals(a: string, b: string): boolean {
  const left = Buffer.from(hashSecret(a), 'hex');
  const right = Buffer.from(hashSecret(b), 'hex');
  return timingSafeEqual(left, right);
}

export const API_TOKEN_PREFIX = 'flt_';

const API_TOKEN_PATTERN = /^flt_[A-Za-z0-9]{40}(?:_([0-9a-z]{1,11}))?$/;

/**
 * A new API token: `flt_` + 8 characters shown in lists + 32 secret characters, and for a
 * token that expires, `_` + its expiry in base-36 seconds. The expiry lives in the token
 * because the ApiToken table has no column for it; it cannot be edited, since the stored
 * sha256 covers the whole string.
 */
export function generateApiToken({ expiresAt }: { expiresAt?: Date } = {}): {
  token: string;
  prefix: string;
} {
  const body = randomBytes(40)
    .toString('base64url')
    .replace(/[-_]/g, '')
    .slice(0, 40)
    .padEnd(40, '0');
  const expiry = expiresAt ? `_${Math.floor(expiresAt.getTime() / 1000).toString(36)}` : '';
  const token = `${API_TOKEN_PREFIX}${body}${expiry}`;
  return { token, prefix: token.slice(0, API_TOKEN_PREFIX.length + 8) };
}

/**
 * When a presented API token stops working: a Date, null for never, or undefined when the
 * string is not an API token at all (then no database lookup is needed).
 */
export function apiTokenExpiry(token: string): Date | null | undefined {
  const match = API_TOKEN_PATTERN.exec(token);
  if (!match) return undefined;
  const expiry = match[1];
  return expiry === undefined ? null : new Date(parseInt(expiry, 36) * 1000);
}

export function generateSessionSecret(): string {
  return randomBytes(32).toString('base64url');
}
