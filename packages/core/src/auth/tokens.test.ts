import { describe, expect, it } from 'vitest';
import {
  API_TOKEN_PREFIX,
  apiTokenExpiry,
  constantTimeEquals,
  generateApiToken,
  hashSecret,
} from './tokens.ts';

describe('API tokens', () => {
  it('makes distinct tokens whose prefix is what lists show', () => {
    const first = generateApiToken();
    const second = generateApiToken();
    expect(first.token).not.toBe(second.token);
    expect(first.token).toMatch(/^flt_[A-Za-z0-9]{40}$/);
    expect(first.prefix).toBe(first.token.slice(0, API_TOKEN_PREFIX.length + 8));
  });

  it('carries its expiry to the second, and a token without one never expires', () => {
    const expiresAt = new Date('2031-05-04T03:02:01.000Z');
    const { token } = generateApiToken({ expiresAt });
    expect(apiTokenExpiry(token)).toEqual(expiresAt);
    expect(apiTokenExpiry(generateApiToken().token)).toBeNull();
  });

  it.each([
    ['the bootstrap token style', 'f3a9c0ffee1234567890abcdef'],
    ['a truncated token', 'flt_abc'],
    ['a token with an edited expiry of the wrong form', `flt_${'a'.repeat(40)}_ZZ`],
    ['an empty string', ''],
  ])('does not take %s for an API token', (_case, candidate) => {
    expect(apiTokenExpiry(candidate)).toBeUndefined();
  });

  it('stores a hash that differs when a single character of the expiry changes', () => {
    const { token } = generateApiToken({ expiresAt: new Date('2030-01-01T00:00:00Z') });
    const extended = `${token.slice(0, -1)}${token.endsWith('z') ? 'y' : 'z'}`;
    expect(hashSecret(extended)).not.toBe(hashSecret(token));
    expect(hashSecret(token)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('compares secrets of different lengths without throwing', () => {
    expect(constantTimeEquals('short', 'a-much-longer-secret')).toBe(false);
    expect(constantTimeEquals('same-secret', 'same-secret')).toBe(true);
  });
});
