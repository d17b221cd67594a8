import { describe, expect, it } from 'vitest';
import type { LabelSelector } from '../types.ts';
import { matchesSelector } from './match-selector.ts';
import { parseSelector } from './parse-selector.ts';
import { normalizeSelectorInput, selectorToString } from './selector-to-string.ts';

const prod = { env: 'prod', tier: 'web', region: 'eu-1' };
const test = { env: 'test', tier: 'web' };
const canary = { env: 'prod', canary: 'true' };
const blank = { env: '' };
const none = {};

describe('matchesSelector with the string form', () => {
  // [selector, labels, expected]
  const cases: [string, Record<string, string>, boolean][] = [
    ['', none, true],
    ['', prod, true],
    ['env=prod', prod, true],
    ['env=prod', test, false],
    ['env=prod', none, false],
    ['env==prod', prod, true],
    ['env!=prod', prod, false],
    ['env!=prod', test, true],
    // Kubernetes: != also matches when the label is absent.
    ['env!=prod', none, true],
    ['env in (prod,test)', prod, true],
    ['env in (prod,test)', test, true],
    ['env in (prod,test)', blank, false],
    ['env in (prod,test)', none, false],
    ['env notin (prod,test)', prod, false],
    ['env notin (prod,test)', blank, true],
    ['env notin (prod,test)', none, true],
    ['env', prod, true],
    ['env', blank, true],
    ['env', none, false],
    ['!env', prod, false],
    ['!env', none, true],
    ['env=', blank, true],
    ['env=', none, false],
    ['env=', prod, false],
    ['env in (prod,test),!canary', prod, true],
    ['env in (prod,test),!canary', canary, false],
    ['env=prod,tier=web,region', prod, true],
    ['env=prod,tier=web,region', canary, false],
    ['env=prod,env=test', prod, false],
    ['constructor', none, false],
    ['!toString', none, true],
  ];

  it.each(cases)('%j on %j is %s', (text, labels, expected) => {
    expect(matchesSelector(parseSelector(text), labels)).toBe(expected);
  });
});

describe('matchesSelector with the object form', () => {
  const cases: [string, LabelSelector | null | undefined, Record<string, string>, boolean][] = [
    ['empty selector matches all', {}, prod, true],
    ['empty selector matches unlabelled', {}, none, true],
    ['null selector matches nothing', null, prod, false],
    ['absent selector matches nothing', undefined, prod, false],
    ['matchLabels all equal', { matchLabels: { env: 'prod', tier: 'web' } }, prod, true],
    ['matchLabels one differs', { matchLabels: { env: 'prod', tier: 'db' } }, prod, false],
    ['matchLabels key absent', { matchLabels: { env: '' } }, none, false],
    ['matchLabels empty value', { matchLabels: { env: '' } }, blank, true],
    [
      'matchLabels ANDed with expressions',
      {
        matchLabels: { env: 'prod' },
        matchExpressions: [{ key: 'canary', operator: 'DoesNotExist' }],
      },
      canary,
      false,
    ],
    ['In', { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod'] }] }, prod, true],
    [
      'NotIn absent',
      { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] },
      none,
      true,
    ],
    ['Exists', { matchExpressions: [{ key: 'region', operator: 'Exists' }] }, test, false],
    [
      'DoesNotExist',
      { matchExpressions: [{ key: 'region', operator: 'DoesNotExist' }] },
      test,
      true,
    ],
  ];

  it.each(cases)('%s', (_name, selector, labels, expected) => {
    expect(matchesSelector(selector, labels)).toBe(expected);
  });
});

describe('selectorToString', () => {
  const cases: [LabelSelector, string][] = [
    [{}, ''],
    [{ matchLabels: { env: 'prod', tier: 'web' } }, 'env=prod,tier=web'],
    [
      { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'test'] }] },
      'env in (prod,test)',
    ],
    [{ matchExpressions: [{ key: 'env', operator: 'In', values: ['prod'] }] }, 'env=prod'],
    [{ matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['dev'] }] }, 'env!=dev'],
    [
      { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['a', 'b'] }] },
      'env notin (a,b)',
    ],
    [{ matchExpressions: [{ key: 'canary', operator: 'Exists' }] }, 'canary'],
    [{ matchExpressions: [{ key: 'canary', operator: 'DoesNotExist' }] }, '!canary'],
    [{ matchExpressions: [{ key: 'env', operator: 'In', values: ['', 'a'] }] }, 'env in (,a)'],
    [
      {
        matchLabels: { app: 'web' },
        matchExpressions: [{ key: 'canary', operator: 'DoesNotExist' }],
      },
      'app=web,!canary',
    ],
  ];

  it.each(cases)('%j prints as %j and reads back to an equivalent selector', (selector, text) => {
    expect(selectorToString(selector)).toBe(text);
    for (const labels of [prod, test, canary, blank, none, { app: 'web' }, { env: 'a' }]) {
      expect(matchesSelector(parseSelector(text), labels)).toBe(matchesSelector(selector, labels));
    }
  });
});

describe('normalizeSelectorInput', () => {
  it('reads the string form', () => {
    expect(normalizeSelectorInput('env=prod')).toEqual({
      matchExpressions: [{ key: 'env', operator: 'In', values: ['prod'] }],
    });
  });

  it('reads the object form', () => {
    expect(normalizeSelectorInput({ matchLabels: { env: 'prod' } })).toEqual({
      matchLabels: { env: 'prod' },
    });
  });

  it.each([[42], [null], [['env=prod']], [true]])('refuses %j', (input) => {
    expect(() => normalizeSelectorInput(input, 'selector')).toThrow(
      expect.objectContaining({ code: 'SelectorInvalid', where: 'selector' }),
    );
  });

  it('reports object-form errors under the given field path', () => {
    expect(() => normalizeSelectorInput({ matchLabels: { env: 1 } }, 'selector')).toThrow(
      expect.objectContaining({ where: 'selector.matchLabels.env' }),
    );
  });
});
