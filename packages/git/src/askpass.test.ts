import { describe, expect, it } from 'vitest';
import { basicCredentials } from './askpass.ts';

describe('basicCredentials', () => {
  it.each([
    { auth: undefined, expected: undefined },
    { auth: {}, expected: undefined },
    { auth: { username: 'alice' }, expected: undefined },
    {
      auth: { username: 'alice', password: 'pw' },
      expected: { username: 'alice', password: 'pw' },
    },
    { auth: { token: 'ghs_x' }, expected: { username: 'x-access-token', password: 'ghs_x' } },
    {
      auth: { username: 'bot', token: 'glpat_x' },
      expected: { username: 'bot', password: 'glpat_x' },
    },
    { auth: { password: 'pat' }, expected: { username: 'x-access-token', password: 'pat' } },
    {
      auth: { username: 'alice', password: 'pw', token: 't' },
      expected: { username: 'alice', password: 'pw' },
    },
  ])('$auth -> $expected', ({ auth, expected }) => {
    expect(basicCredentials(auth)).toEqual(expected);
  });
});
