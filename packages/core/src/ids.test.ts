import { describe, expect, it } from 'vitest';
import { newId } from './ids.ts';

describe('newId', () => {
  it('makes 25-character lowercase ids starting with a letter, all different across pool refills', () => {
    const ids = Array.from({ length: 2000 }, () => newId());
    for (const id of ids) expect(id).toMatch(/^[a-z][a-z0-9]{24}$/);
    expect(new Set(ids).size).toBe(ids.length);
    // Every character of the alphabet turns up: the bytes are spread over all 36.
    expect(new Set(ids.join('')).size).toBe(36);
  });
});
