import { describe, expect, it } from 'vitest';
import { safeNext } from './safe-next.ts';

describe('safeNext', () => {
  it.each([
    ['/clusters?selector=env%3Dprod', '/clusters?selector=env%3Dprod'],
    [null, '/'],
    ['', '/'],
    ['https://evil.example/', '/'],
    ['//evil.example/x', '/'],
    ['/\\evil.example', '/'],
    ['javascript:alert(1)', '/'],
  ])('%s goes to %s', (next, expected) => {
    expect(safeNext(next)).toBe(expected);
  });
});
