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

/** A new API token: `flt_` + 8 characters shown in lists + 32 secret characters. */
export function generateApiToken(): { token: string; prefix: string } {
  const body = randomBytes(30).toString('base64url').replace(/[-_]/g, '').slice(0, 40).padEnd(40, '0');
  const token = `${API_TOKEN_PREFIX}${body}`;
  return { token, prefix: token.slice(0, API_TOKEN_PREFIX.length + 8) };
}

export function generateSessionSecret(): string {
  return randomBytes(32).toString('base64url');
}
