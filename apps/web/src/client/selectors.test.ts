import { describe, expect, it } from 'vitest';
import { rowsToSelector, selectorToRows, selectorToText, type SelectorRows } from './selectors.ts';

describe('rowsToSelector', () => {
  it.each<[string, SelectorRows, unknown]>([
    ['no rows: the empty selector (every cluster)', { matchLabels: [], matchExpressions: [] }, {}],
    [
      'rows being typed (no key) are left out',
      {
        matchLabels: [
          { key: '', value: 'x' },
          { key: ' env ', value: ' prod ' },
        ],
        matchExpressions: [{ key: '', operator: 'In', values: 'a' }],
      },
      { matchLabels: { env: 'prod' } },
    ],
    [
      'values are split on commas, only for In and NotIn',
      {
        matchLabels: [],
        matchExpressions: [
          { key: 'region', operator: 'In', values: 'eu, us,,' },
          { key: 'canary', operator: 'DoesNotExist', values: 'ignored' },
        ],
      },
      {
        matchExpressions: [
          { key: 'region', operator: 'In', values: ['eu', 'us'] },
          { key: 'canary', operator: 'DoesNotExist' },
        ],
      },
    ],
  ])('%s', (_, rows, expected) => {
    expect(rowsToSelector(rows)).toEqual(expected);
  });
});

describe('selectorToText', () => {
  it.each([
    [{}, ''],
    [{ matchLabels: { env: 'prod', tier: 'web' } }, 'env=prod,tier=web'],
    [
      {
        matchExpressions: [
          { key: 'region', operator: 'In' as const, values: ['eu', 'us'] },
          { key: 'env', operator: 'NotIn' as const, values: ['dev'] },
          { key: 'gpu', operator: 'Exists' as const },
          { key: 'canary', operator: 'DoesNotExist' as const },
        ],
      },
      'region in (eu,us),env notin (dev),gpu,!canary',
    ],
  ])('%j is "%s"', (selector, expected) => {
    expect(selectorToText(selector)).toBe(expected);
  });

  it('round-trips through the editor rows', () => {
    const selector = {
      matchLabels: { env: 'prod' },
      matchExpressions: [{ key: 'region', operator: 'In' as const, values: ['eu', 'us'] }],
    };
    expect(rowsToSelector(selectorToRows(selector))).toEqual(selector);
  });
});
