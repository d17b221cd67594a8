import { describe, expect, it } from 'vitest';
import { duplicateKeys, labelsToRows, rowsToLabels } from './labels.ts';

describe('rowsToLabels', () => {
  it.each([
    [
      'blank rows are dropped',
      [
        { key: '', value: '' },
        { key: 'env', value: 'prod' },
      ],
      { env: 'prod' },
    ],
    ['keys and values are trimmed', [{ key: ' region ', value: ' eu ' }], { region: 'eu' }],
    ['an empty value is kept (a valid label)', [{ key: 'canary', value: '' }], { canary: '' }],
    [
      'hostile values stay plain strings',
      [{ key: 'link', value: 'javascript:alert(1)' }],
      { link: 'javascript:alert(1)' },
    ],
  ])('%s', (_, rows, expected) => {
    expect(rowsToLabels(rows)).toEqual(expected);
  });

  it('round-trips a label map', () => {
    const labels = { env: 'prod', region: 'eu' };
    expect(rowsToLabels(labelsToRows(labels))).toEqual(labels);
  });
});

describe('duplicateKeys', () => {
  it('names keys typed twice, ignoring blanks', () => {
    expect([
      ...duplicateKeys([
        { key: 'env', value: 'a' },
        { key: ' env', value: 'b' },
        { key: '', value: '' },
        { key: '', value: '' },
      ]),
    ]).toEqual(['env']);
  });
});
