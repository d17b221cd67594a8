import { describe, expect, it } from 'vitest';
import { containsText, likeLiteral } from './text-match.ts';

describe('likeLiteral', () => {
  it.each([
    ['edge', 'edge'],
    ['100%', '100\\%'],
    ['a_b', 'a\\_b'],
    ['back\\slash', 'back\\\\slash'],
  ])('%j becomes %j', (text, expected) => {
    expect(likeLiteral(text)).toBe(expected);
  });

  it('makes a case-insensitive contains filter', () => {
    expect(containsText('50%')).toEqual({ contains: '50\\%', mode: 'insensitive' });
  });
});
