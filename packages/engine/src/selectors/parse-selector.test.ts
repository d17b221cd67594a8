import { describe, expect, it } from 'vitest';
import { EngineError } from '../errors.ts';
import type { LabelSelector } from '../types.ts';
import { parseSelector } from './parse-selector.ts';

describe('parseSelector: valid selectors', () => {
  const cases: [string, LabelSelector][] = [
    ['', {}],
    ['   ', {}],
    ['env=prod', { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod'] }] }],
    ['env==prod', { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod'] }] }],
    ['env!=prod', { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] }],
    ['env=', { matchExpressions: [{ key: 'env', operator: 'In', values: [''] }] }],
    [
      'env!=,tier',
      {
        matchExpressions: [
          { key: 'env', operator: 'NotIn', values: [''] },
          { key: 'tier', operator: 'Exists' },
        ],
      },
    ],
    [
      'env in (prod,test)',
      { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'test'] }] },
    ],
    ['env notin (dev)', { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['dev'] }] }],
    ['env in(prod)', { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod'] }] }],
    [
      'env in ( prod , test )',
      { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'test'] }] },
    ],
    [
      'env in (prod,prod)',
      { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod'] }] },
    ],
    ['env in ()', { matchExpressions: [{ key: 'env', operator: 'In', values: [''] }] }],
    ['env in (a,)', { matchExpressions: [{ key: 'env', operator: 'In', values: ['a', ''] }] }],
    ['env in (,a)', { matchExpressions: [{ key: 'env', operator: 'In', values: ['', 'a'] }] }],
    [
      'env in (a,,b)',
      { matchExpressions: [{ key: 'env', operator: 'In', values: ['a', '', 'b'] }] },
    ],
    ['canary', { matchExpressions: [{ key: 'canary', operator: 'Exists' }] }],
    ['!canary', { matchExpressions: [{ key: 'canary', operator: 'DoesNotExist' }] }],
    ['! canary', { matchExpressions: [{ key: 'canary', operator: 'DoesNotExist' }] }],
    [
      'env in (prod,test),!canary',
      {
        matchExpressions: [
          { key: 'env', operator: 'In', values: ['prod', 'test'] },
          { key: 'canary', operator: 'DoesNotExist' },
        ],
      },
    ],
    [
      '  env = prod ,  tier  ,region!=eu-1 ',
      {
        matchExpressions: [
          { key: 'env', operator: 'In', values: ['prod'] },
          { key: 'tier', operator: 'Exists' },
          { key: 'region', operator: 'NotIn', values: ['eu-1'] },
        ],
      },
    ],
    [
      'app.kubernetes.io/name=web',
      {
        matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'In', values: ['web'] }],
      },
    ],
    [
      'a=b,a=c',
      {
        matchExpressions: [
          { key: 'a', operator: 'In', values: ['b'] },
          { key: 'a', operator: 'In', values: ['c'] },
        ],
      },
    ],
    ['v=1.2_3-rc.0', { matchExpressions: [{ key: 'v', operator: 'In', values: ['1.2_3-rc.0'] }] }],
    [
      `k=${'x'.repeat(63)}`,
      { matchExpressions: [{ key: 'k', operator: 'In', values: ['x'.repeat(63)] }] },
    ],
    [
      `${'p'.repeat(253)}/${'n'.repeat(63)}`,
      {
        matchExpressions: [{ key: `${'p'.repeat(253)}/${'n'.repeat(63)}`, operator: 'Exists' }],
      },
    ],
  ];

  it.each(cases)('%j', (text, expected) => {
    expect(parseSelector(text)).toEqual(expected);
  });
});

describe('parseSelector: malformed selectors name the position and what was expected', () => {
  const cases: [string, string][] = [
    ['env in prod', 'at position 8: expected "(" after "in", found "prod"'],
    ['env notin prod', 'at position 11: expected "(" after "notin", found "prod"'],
    [
      'env in (prod',
      'at position 13: expected "," or ")" in the value list, found the end of the selector',
    ],
    ['env in (prod test)', 'at position 14: expected "," or ")" in the value list, found "test"'],
    ['env in (prod))', 'at position 14: expected "," or the end of the selector, found ")"'],
    ['env in (a(b))', 'at position 10: expected "," or ")" in the value list, found "("'],
    ['env=prod,', 'at position 10: expected a requirement after ","'],
    ['env=prod,,tier', 'at position 10: expected a label key or "!", found ","'],
    [',env', 'at position 1: expected a label key or "!", found ","'],
    [
      'env prod',
      'at position 5: expected an operator (=, ==, !=, in, notin), "," or the end after "env", found "prod"',
    ],
    ['env=(prod)', 'at position 5: expected a value after "=", found "("'],
    ['env=prod test', 'at position 10: expected "," or the end of the selector, found "test"'],
    ['!', 'at position 2: expected a label key after "!", found the end of the selector'],
    ['!env=prod', 'at position 5: expected "," or the end of the selector, found "="'],
    ['replicas>3', 'at position 9: operator ">" is not supported in label selectors'],
    ['replicas<3', 'at position 9: operator "<" is not supported in label selectors'],
    ['(env)', 'at position 1: expected a label key or "!", found "("'],
    [
      '-env=prod',
      'at position 1: invalid label key "-env": the name part must be 63 characters or less',
    ],
    ['env-=prod', 'at position 1: invalid label key "env-"'],
    [
      'Example.com/env=prod',
      'at position 1: invalid label key "Example.com/env": the prefix "Example.com" must be a DNS subdomain',
    ],
    ['/env', 'at position 1: invalid label key "/env": the prefix before "/" must not be empty'],
    ['a/b/c', 'at position 1: invalid label key "a/b/c": a label key has at most one "/"'],
    [
      'example.com/=x',
      'at position 1: invalid label key "example.com/": the name part must not be empty',
    ],
    [`${'k'.repeat(64)}=x`, `invalid label key "${'k'.repeat(64)}"`],
    [`${'p'.repeat(254)}/n`, 'must be a DNS subdomain'],
    [
      'env=-prod',
      'at position 5: invalid label value "-prod": a label value must be 63 characters or less',
    ],
    [`env=${'v'.repeat(64)}`, 'at position 5: invalid label value'],
    ['env in (ok,bad!)', 'at position 15: expected "," or ")" in the value list, found "!"'],
    ['env in (ok,b@d)', 'at position 12: invalid label value "b@d"'],
  ];

  it.each(cases)('%j', (text, message) => {
    const error = catchError(() => parseSelector(text));
    expect(error).toBeInstanceOf(EngineError);
    expect(error.code).toBe('SelectorInvalid');
    expect(error.message).toContain(message);
    const position = /at position (\d+)/.exec(message)?.[1];
    if (position) expect(error.where).toBe(`position ${position}`);
  });
});

function catchError(run: () => unknown): EngineError {
  try {
    run();
  } catch (error) {
    if (error instanceof EngineError) return error;
    throw error;
  }
  throw new Error('expected an EngineError');
}
