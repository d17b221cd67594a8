import { describe, expect, it } from 'vitest';
import { createInstallationTokenCache } from './github-client.ts';

/** auth-app's cache value: token|createdAt|expiresAt|repositorySelection|permissions|singleFile */
const value = (createdAt: string, expiresAt: string) =>
  `ghs_x|${createdAt}|${expiresAt}|all|statuses!,contents|`;

describe('createInstallationTokenCache', () => {
  const created = '2026-01-01T10:00:00.000Z';
  const hourLater = '2026-01-01T11:00:00.000Z';
  it.each([
    ['fresh', '2026-01-01T10:00:01.000Z', hourLater, true],
    [
      'a minute before expiry (the margin of an hour-long token)',
      '2026-01-01T10:59:00.000Z',
      hourLater,
      false,
    ],
    ['just before the margin', '2026-01-01T10:58:59.000Z', hourLater, true],
    ['expired', '2026-01-01T11:00:01.000Z', hourLater, false],
    // A 10-second token gets a tenth of its life as margin: 1 s.
    ['short token, 8 s old', '2026-01-01T10:00:08.000Z', '2026-01-01T10:00:10.000Z', true],
    ['short token, 9.5 s old', '2026-01-01T10:00:09.500Z', '2026-01-01T10:00:10.000Z', false],
    ['an unreadable expiry', '2026-01-01T10:00:01.000Z', 'soon', false],
  ])('%s', (_, now, expiresAt, isKept) => {
    const cache = createInstallationTokenCache(() => Date.parse(now));
    cache.set('77', value(created, expiresAt));
    expect(cache.get('77') !== undefined).toBe(isKept);
  });
});
