import { describe, expect, it } from 'vitest';
import { customizationLabel, describeChartSource, locationText } from './chart-source.ts';

describe('describeChartSource', () => {
  it.each([
    [{ kind: 'folder', path: 'apps/web/chart' } as const, 'folder apps/web/chart'],
    [{ kind: 'generated', path: 'app/templates' } as const, 'generated from app/templates'],
    [{ kind: 'archive', path: 'app/web-1.0.0.tgz' } as const, 'archive app/web-1.0.0.tgz'],
    [
      {
        kind: 'repository',
        url: 'https://charts.example.com/',
        chart: 'web',
        version: '^1',
      } as const,
      'web from https://charts.example.com/ (version ^1)',
    ],
    [
      { kind: 'oci', ref: 'oci://reg.example.com/web', version: '' } as const,
      'oci://reg.example.com/web',
    ],
    [{ kind: 'url', url: 'https://example.com/web.tgz' } as const, 'https://example.com/web.tgz'],
  ])('%j', (source, text) => {
    expect(describeChartSource(source)).toBe(text);
  });

  it('names the defaults and locations', () => {
    expect(customizationLabel('')).toBe('defaults');
    expect(customizationLabel('prod')).toBe('prod');
    expect(locationText({ file: 'web/templates/a.yaml', line: 12, column: 3 })).toBe(
      'web/templates/a.yaml:12:3',
    );
    expect(locationText({ file: 'web/templates/a.yaml', line: 5, column: null })).toBe(
      'web/templates/a.yaml:5',
    );
  });
});
