import { describe, expect, it } from 'vitest';
import { parseSearchTerms } from './search-terms.ts';

describe('parseSearchTerms', () => {
  it.each([
    ['', { names: [], labels: [] }],
    ['web', { names: ['web'], labels: [] }],
    ['env=prod', { names: [], labels: [{ key: 'env', value: 'prod' }] }],
    ['  env=prod   edge ', { names: ['edge'], labels: [{ key: 'env', value: 'prod' }] }],
    [
      'app.kubernetes.io/tier=web',
      { names: [], labels: [{ key: 'app.kubernetes.io/tier', value: 'web' }] },
    ],
    ['a=b=c', { names: [], labels: [{ key: 'a', value: 'b=c' }] }],
    ['=prod env=', { names: ['=prod', 'env='], labels: [] }],
  ])('reads %j', (query, expected) => {
    expect(parseSearchTerms(query)).toEqual(expected);
  });
});
