import { describe, expect, it } from 'vitest';
import { commitUrl, relativeTime, shortSha } from './format.ts';

const NOW = new Date('2026-03-01T12:00:00Z');

describe('relativeTime', () => {
  it.each([
    ['2026-03-01T11:59:30Z', 'just now'],
    ['2026-03-01T11:57:00Z', '3 min. ago'],
    ['2026-03-01T10:00:00Z', '2 hr. ago'],
    ['2026-02-27T12:00:00Z', '2 days ago'],
    ['2026-03-01T12:05:00Z', 'in 5 min.'],
    ['not a date', 'unknown'],
  ])('%s is "%s"', (iso, expected) => {
    expect(relativeTime(iso, NOW)).toBe(expected);
  });
});

describe('commitUrl', () => {
  const sha = '0123456789abcdef0123456789abcdef01234567';
  it.each([
    [
      'https://github.com/org/repo/commit/{commit}',
      sha,
      `https://github.com/org/repo/commit/${sha}`,
    ],
    [null, sha, null],
    ['https://github.com/org/repo/commit/{commit}', null, null],
    // Neither a hostile template nor a hostile "commit" may become a link target.
    ['javascript:alert(1)//{commit}', sha, null],
    ['https://github.com/org/repo/commit/{commit}', 'javascript:alert(1)', null],
  ])('%s with %s', (template, commit, expected) => {
    expect(commitUrl(template, commit)).toBe(expected);
  });
});

describe('shortSha', () => {
  it('keeps the first 8 characters, or a dash when there is none', () => {
    expect(shortSha('0123456789abcdef')).toBe('01234567');
    expect(shortSha(null)).toBe('—');
  });
});
