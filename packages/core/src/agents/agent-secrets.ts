import { randomBytes } from 'node:crypto';

/** A registration token: trades once for a credential (POST /api/v1/agent/register). */
export const REGISTRATION_TOKEN_PREFIX = 'flr_';
/** An agent credential: the agent's Bearer token for /api/v1/agent/..., one cluster only. */
export const AGENT_CREDENTIAL_PREFIX = 'fla_';

const REGISTRATION_TOKEN_PATTERN = /^flr_[A-Za-z0-9]{40}$/;
const AGENT_CREDENTIAL_PATTERN = /^fla_[A-Za-z0-9]{48}$/;

function randomAlphanumeric(length: number): string {
  let out = '';
  while (out.length < length) out += randomBytes(length).toString('base64url').replace(/[-_]/g, '');
  return out.slice(0, length);
}

/**
 * A new secret with its prefix (the first characters, shown in lists and audit entries to tell
 * secrets apart). The distinct prefixes keep the three kinds of Bearer token (API token,
 * registration token, agent credential) from ever being taken for one another.
 */
export function generateRegistrationToken(): { token: string; prefix: string } {
  const token = `${REGISTRATION_TOKEN_PREFIX}${randomAlphanumeric(40)}`;
  return { token, prefix: token.slice(0, REGISTRATION_TOKEN_PREFIX.length + 6) };
}

export function generateAgentCredential(): { credential: string; prefix: string } {
  const credential = `${AGENT_CREDENTIAL_PREFIX}${randomAlphanumeric(48)}`;
  return { credential, prefix: credential.slice(0, AGENT_CREDENTIAL_PREFIX.length + 6) };
}

/** Shape checks before any lookup: a malformed value costs no database query. */
export function isRegistrationTokenShaped(value: string): boolean {
  return REGISTRATION_TOKEN_PATTERN.test(value);
}

export function isAgentCredentialShaped(value: string): boolean {
  return AGENT_CREDENTIAL_PATTERN.test(value);
}
