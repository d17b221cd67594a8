import { describe, expect, it } from 'vitest';
import { EngineError } from '../errors.ts';
import type { LabelSelector } from '../types.ts';
import { parseLabelSelector } from './parse-label-selector.ts';

describe('parseLabelSelector: valid objects', () => {
  const cases: [string, unknown, LabelSelector][] = [
    ['empty', {}, {}],
    ['matchLabels', { matchLabels: { env: 'prod' } }, { matchLabels: { env: 'prod' } }],
    ['null fields read as absent', { matchLabels: null, matchExpressions: null }, {}],
    ['empty value', { matchLabels: { env: '' } }, { matchLabels: { env: '' } }],
    [
      'prefixed key',
      { matchLabels: { 'app.kubernetes.io/name': 'web' } },
      {
        matchLabels: { 'app.kubernetes.io/name': 'web' },
      },
    ],
    [
      'In',
      { matchExpressions: [{ key: 'env', operator: 'In', values: ['a', 'b'] }] },
      {
        matchExpressions: [{ key: 'env', operator: 'In', values: ['a', 'b'] }],
      },
    ],
    [
      'Exists without values',
      { matchExpressions: [{ key: 'env', operator: 'Exists' }] },
      {
        matchExpressions: [{ key: 'env', operator: 'Exists' }],
      },
    ],
    [
      'DoesNotExist with empty values',
      { matchExpressions: [{ key: 'env', operator: 'DoesNotExist', values: [] }] },
      {
        matchExpressions: [{ key: 'env', operator: 'DoesNotExist' }],
      },
    ],
    [
      'Exists with null values',
      { matchExpressions: [{ key: 'env', operator: 'Exists', values: null }] },
      {
        matchExpressions: [{ key: 'env', operator: 'Exists' }],
      },
    ],
  ];

  it.each(cases)('%s', (_name, input, expected) => {
    expect(parseLabelSelector(input)).toEqual(expected);
  });
});

describe('parseLabelSelector: errors name the field path', () => {
  // [name, input, where, message fragment]
  const cases: [string, unknown, string, string][] = [
    ['not an object', 'env=prod', '', 'a label selector must be an object'],
    ['an array', [], '', 'a label selector must be an object'],
    ['a typo in a field name', { matchLabel: { env: 'prod' } }, 'matchLabel', 'unknown field'],
    ['matchLabels not a map', { matchLabels: ['env'] }, 'matchLabels', 'must be a map'],
    [
      'a number label value',
      { matchLabels: { replicas: 3 } },
      'matchLabels.replicas',
      'must be a string',
    ],
    [
      'a bad label value',
      { matchLabels: { env: 'pr od' } },
      'matchLabels.env',
      'invalid label value "pr od"',
    ],
    [
      'a bad label key',
      { matchLabels: { 'bad key': 'x' } },
      'matchLabels["bad key"]',
      'invalid label key "bad key"',
    ],
    [
      'matchExpressions not a list',
      { matchExpressions: { key: 'env' } },
      'matchExpressions',
      'must be a list',
    ],
    [
      'In without values',
      { matchExpressions: [{ key: 'env', operator: 'In' }] },
      'matchExpressions[0].values',
      'must list at least one value for operator In',
    ],
    [
      'NotIn with empty values',
      { matchExpressions: [{ key: 'env', operator: 'NotIn', values: [] }] },
      'matchExpressions[0].values',
      'must list at least one value for operator NotIn',
    ],
    [
      'Exists with values',
      {
        matchExpressions: [
          { key: 'env', operator: 'Exists' },
          {
            key: 'tier',
            operator: 'Exists',
            values: ['web'],
          },
        ],
      },
      'matchExpressions[1].values',
      'must be empty for operator Exists',
    ],
    [
      'an unknown operator',
      { matchExpressions: [{ key: 'env', operator: 'Equals', values: ['a'] }] },
      'matchExpressions[0].operator',
      'must be one of In, NotIn, Exists, DoesNotExist',
    ],
    [
      'a lowercase operator',
      { matchExpressions: [{ key: 'env', operator: 'in', values: ['a'] }] },
      'matchExpressions[0].operator',
      'must be one of',
    ],
    [
      'a missing key',
      { matchExpressions: [{ operator: 'Exists' }] },
      'matchExpressions[0].key',
      'must be a string',
    ],
    [
      'a bad key',
      { matchExpressions: [{ key: '-env', operator: 'Exists' }] },
      'matchExpressions[0].key',
      'invalid label key "-env"',
    ],
    [
      'a bad value in a list',
      { matchExpressions: [{ key: 'env', operator: 'In', values: ['ok', 'no way'] }] },
      'matchExpressions[0].values[1]',
      'invalid label value "no way"',
    ],
    [
      'a typo inside a requirement',
      { matchExpressions: [{ key: 'env', operator: 'Exists', value: 'x' }] },
      'matchExpressions[0].value',
      'unknown field',
    ],
  ];

  it.each(cases)('%s', (_name, input, where, message) => {
    let caught: unknown;
    try {
      parseLabelSelector(input);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(EngineError);
    expect(caught).toMatchObject({ code: 'SelectorInvalid', where });
    expect((caught as EngineError).message).toContain(message);
  });

  it('prefixes the path with the field the selector sits in', () => {
    expect(() =>
      parseLabelSelector(
        { matchExpressions: [{ key: 'env', operator: 'In' }] },
        'targets[2].clusterSelector',
      ),
    ).toThrow(
      expect.objectContaining({ where: 'targets[2].clusterSelector.matchExpressions[0].values' }),
    );
  });
});
