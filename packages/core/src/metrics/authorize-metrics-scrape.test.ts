import { describe, expect, it } from 'vitest';
import { authorizeMetricsScrape } from './authorize-metrics-scrape.ts';

const TOKEN = 'metrics-token-0123456789';

describe('authorizeMetricsScrape', () => {
  it.each([
    ['no token configured, no header', undefined, null, true],
    ['no token configured, any header', undefined, 'Bearer whatever', true],
    ['the right Bearer token', TOKEN, `Bearer ${TOKEN}`, true],
    ['the scheme in another case', TOKEN, `bearer ${TOKEN}`, true],
    ['no header', TOKEN, null, false],
    ['a wrong token', TOKEN, 'Bearer metrics-token-0123456780', false],
    ['a prefix of the token', TOKEN, `Bearer ${TOKEN.slice(0, 10)}`, false],
    ['the token with more after it', TOKEN, `Bearer ${TOKEN}x`, false],
    ['Basic instead of Bearer', TOKEN, `Basic ${TOKEN}`, false],
    ['the bare token', TOKEN, TOKEN, false],
  ] as const)('%s', (_case, token, authorization, expected) => {
    expect(authorizeMetricsScrape({ authorization, token })).toBe(expected);
  });
});
