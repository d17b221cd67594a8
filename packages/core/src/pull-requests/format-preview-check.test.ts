import { describe, expect, it } from 'vitest';
import { formatPreviewCheck, GITHUB_OUTPUT_LIMIT } from './format-preview-check.ts';
import type { PreviewBundleResult } from './schemas.ts';

const change = (name: string, diff = '-  replicas: 2\n+  replicas: 5\n') => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  namespace: 'shop',
  name,
  change: 'changed' as const,
  diff,
});

const bundle = (customizations: PreviewBundleResult['customizations']): PreviewBundleResult => ({
  bundleId: 'b1',
  bundleName: 'web',
  path: 'web',
  customizations,
});

describe('formatPreviewCheck', () => {
  it('is neutral when the PR touches no bundle', () => {
    expect(formatPreviewCheck({ results: [], isFork: false })).toMatchObject({
      conclusion: 'neutral',
      title: 'No bundle changed',
    });
  });

  it('names the clusters per customization and counts the objects', () => {
    const output = formatPreviewCheck({
      results: [
        bundle([
          { name: '', clusters: ['dev-1'], groups: [{ clusters: ['dev-1'], changes: [] }] },
          {
            name: 'prod',
            clusters: ['prod-1', 'prod-2'],
            groups: [{ clusters: ['prod-1', 'prod-2'], changes: [change('web')] }],
          },
        ]),
      ],
      detailsUrl: 'https://flotilla.example/pull-requests/p1',
      isFork: false,
    });
    expect(output.conclusion).toBe('success');
    expect(output.title).toBe('1 bundle changed on 2 clusters');
    expect(output.summary).toContain('`prod`: prod-1, prod-2');
    expect(output.summary).toContain('`defaults`: no change');
    expect(output.summary).toContain('**0** added, **1** changed, **0** removed');
    expect(output.summary).toContain('(https://flotilla.example/pull-requests/p1)');
    expect(output.text).toContain('| web | prod | prod-1, prod-2 | 0 | 1 | 0 | ok |');
    expect(output.text).toContain('+  replicas: 5');
  });

  it('fails naming the file when a customization does not render', () => {
    const output = formatPreviewCheck({
      results: [
        bundle([
          {
            name: 'prod',
            clusters: ['prod-1'],
            error: 'YAML parse error (web/deployment.yaml)',
            groups: [],
          },
        ]),
      ],
      isFork: false,
    });
    expect(output.conclusion).toBe('failure');
    expect(output.title).toBe('1 render error would break 1 cluster');
    expect(output.summary).toContain('would break prod-1: YAML parse error (web/deployment.yaml)');
  });

  it("stays under GitHub's limit, saying how many diffs were left out", () => {
    const big = 'x'.repeat(5_000);
    const output = formatPreviewCheck({
      results: [
        bundle([
          {
            name: '',
            clusters: ['c'],
            groups: [
              {
                clusters: ['c'],
                changes: Array.from({ length: 40 }, (_, index) => change(`web-${index}`, big)),
              },
            ],
          },
        ]),
      ],
      detailsUrl: 'https://flotilla.example/pull-requests/p1',
      isFork: false,
    });
    expect(output.text.length).toBeLessThanOrEqual(GITHUB_OUTPUT_LIMIT);
    expect(output.text).toMatch(/_\d+ more diffs left out to stay under GitHub's limit/);
    expect(output.text).toContain('web-0');
    expect(output.text).not.toContain('web-39 ');
  });
});
