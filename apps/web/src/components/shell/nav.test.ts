import { describe, expect, it } from 'vitest';
import { isActive } from './nav.ts';

describe('isActive', () => {
  it.each([
    ['/', '/', true],
    ['/', '/clusters', false],
    ['/clusters', '/clusters', true],
    ['/clusters', '/clusters/abc', true],
    ['/clusters', '/cluster-groups', false],
    ['/settings/tokens', '/settings/members', false],
  ])('%s is active on %s: %s', (href, pathname, expected) => {
    expect(isActive(href, pathname)).toBe(expected);
  });
});
