import { describe, expect, it } from 'vitest';
import { selectorTerms, toggleSelectorTerm } from './selector-terms.ts';

describe('selectorTerms', () => {
  it.each([
    ['', []],
    ['env=prod', ['env=prod']],
    [' env=prod , region in (eu,us),!canary,', ['env=prod', 'region in (eu,us)', '!canary']],
  ])('splits %j', (selector, expected) => {
    expect(selectorTerms(selector)).toEqual(expected);
  });
});

describe('toggleSelectorTerm', () => {
  it.each([
    ['', 'env=prod', 'env=prod'],
    ['region in (eu,us)', 'env=prod', 'region in (eu,us),env=prod'],
    ['env=prod,region=eu', 'env=prod', 'region=eu'],
    ['env = prod', 'env=prod', ''],
    ['env==prod', 'env=prod', ''],
    ['env!=prod', 'env=prod', 'env!=prod,env=prod'],
  ])('%j with %j gives %j', (selector, term, expected) => {
    expect(toggleSelectorTerm(selector, term)).toBe(expected);
  });
});
