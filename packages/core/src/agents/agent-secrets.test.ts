import { describe, expect, it } from 'vitest';
import { apiTokenExpiry } from '../auth/tokens.ts';
import {
  generateAgentCredential,
  generateRegistrationToken,
  isAgentCredentialShaped,
  isRegistrationTokenShaped,
} from './agent-secrets.ts';

describe('agent secrets', () => {
  it('makes registration tokens and credentials that are never taken for one another', () => {
    const { token, prefix } = generateRegistrationToken();
    const { credential, prefix: credentialPrefix } = generateAgentCredential();
    expect(token).toMatch(/^flr_[A-Za-z0-9]{40}$/);
    expect(credential).toMatch(/^fla_[A-Za-z0-9]{48}$/);
    expect(token.startsWith(prefix)).toBe(true);
    expect(credential.startsWith(credentialPrefix)).toBe(true);
    expect(isRegistrationTokenShaped(token)).toBe(true);
    expect(isAgentCredentialShaped(token)).toBe(false);
    expect(isAgentCredentialShaped(credential)).toBe(true);
    expect(isRegistrationTokenShaped(credential)).toBe(false);
    // Neither is an API token: the user authentication never looks them up.
    expect(apiTokenExpiry(token)).toBeUndefined();
    expect(apiTokenExpiry(credential)).toBeUndefined();
  });

  it('draws a new secret every time', () => {
    const credentials = new Set(
      Array.from({ length: 50 }, () => generateAgentCredential().credential),
    );
    expect(credentials.size).toBe(50);
  });

  it.each(['', 'fla_short', `flt_${'a'.repeat(40)}`, `fla_${'a'.repeat(47)}-`])(
    'refuses %j as a credential before any lookup',
    (value) => {
      expect(isAgentCredentialShaped(value)).toBe(false);
    },
  );
});
