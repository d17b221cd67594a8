import { describe, expect, it } from 'vitest';
import type { RenderDto } from './render-dto.ts';
import { isOutcomeRow, summarizeRenders } from './render-dto.ts';

const chart = {
  name: 'web',
  version: '1.0.0',
  appVersion: '',
  source: { kind: 'folder' as const, path: 'web' },
};

function render(overrides: Partial<RenderDto>): RenderDto {
  return {
    commit: 'new',
    customization: '',
    revision: 'r1',
    chart,
    values: { a: 1 },
    error: null,
    renderedAt: '2026-01-01T00:00:00.000Z',
    copies: 1,
    ...overrides,
  };
}

describe('summarizeRenders', () => {
  it('orders by commit as given, then customization', () => {
    const summary = summarizeRenders(
      [
        render({ commit: 'old', customization: 'prod' }),
        render({ customization: 'prod' }),
        render({ commit: 'old' }),
        render({}),
      ],
      ['new', 'old'],
    );
    expect(summary.map((entry) => `${entry.commit}/${entry.customization}`)).toEqual([
      'new/',
      'new/prod',
      'old/',
      'old/prod',
    ]);
  });

  it('folds per-cluster copies with the same chart and values, counting them', () => {
    const summary = summarizeRenders(
      [
        render({ revision: 'r1' }),
        render({ revision: 'r2', renderedAt: '2026-01-02T00:00:00.000Z' }),
        render({ revision: 'r3', values: { a: 2 } }),
      ],
      ['new'],
    );
    expect(summary).toEqual([
      render({ revision: null, copies: 2, renderedAt: '2026-01-02T00:00:00.000Z' }),
      render({ revision: 'r3', values: { a: 2 } }),
    ]);
  });

  it('keeps each distinct error once, after the copies that rendered', () => {
    const error = (message: string) => ({ message, locations: [] });
    const failed = { revision: null, chart: null, values: null };
    const summary = summarizeRenders(
      [
        render({ ...failed, error: error('lookup failed on cluster a') }),
        render({}),
        render({ ...failed, error: error('lookup failed on cluster a') }),
        render({ ...failed, error: error('timeout') }),
      ],
      ['new'],
    );
    expect(summary.map((entry) => [entry.error?.message ?? 'ok', entry.copies])).toEqual([
      ['ok', 1],
      ['lookup failed on cluster a', 2],
      ['timeout', 1],
    ]);
  });
});

describe('isOutcomeRow', () => {
  it.each([
    [{ isPerCluster: false, revisionHash: 'r', error: null }, true],
    [{ isPerCluster: false, revisionHash: null, error: 'failed' }, true],
    // The shared row of a customization rendered per cluster says only that.
    [{ isPerCluster: true, revisionHash: null, error: null }, false],
    [{ isPerCluster: true, revisionHash: 'r', error: null }, true],
  ])('%j: %s', (row, expected) => {
    expect(isOutcomeRow(row)).toBe(expected);
  });
});
