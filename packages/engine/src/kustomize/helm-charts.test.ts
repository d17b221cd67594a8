import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { loadChartFiles, type Chart } from '@flotilla/helm';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../types.ts';
import { findKustomizeCharts, kustomizeBuild } from './index.ts';

/**
 * kustomize's helmCharts (HelmChartInflationGenerator) with the in-process Helm engine, against
 * what `kubectl kustomize --enable-helm` printed with Helm v3.17.1 for the same folder
 * (test/kustomize/helm-cases, recorded by record-golden.sh).
 */
const TEST_DIR = resolve(import.meta.dirname, '../../test/kustomize');

function readFolder(root: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const path = join(entry.parentPath, entry.name);
      files.set(relative(root, path), readFileSync(path, 'utf8'));
    }
  }
  return files;
}

function golden(name: string): KubeObject[] {
  const text = readFileSync(join(TEST_DIR, 'golden', `${name}.yaml`), 'utf8');
  return parseAllDocuments(text)
    .map((document) => document.toJS() as KubeObject | null)
    .filter((object): object is KubeObject => object !== null);
}

/** What the worker and the CLI do: load each chart folder the kustomizations name. */
async function loadCharts(files: Map<string, string>, dir: string): Promise<Map<string, Chart>> {
  const charts = new Map<string, Chart>();
  for (const request of findKustomizeCharts(files, dir)) {
    const chartFiles = [...files]
      .filter(([path]) => path.startsWith(`${request.dir}/`))
      .map(([path, text]) => ({
        name: path.slice(request.dir.length + 1),
        data: Buffer.from(text),
      }));
    charts.set(request.dir, await loadChartFiles(chartFiles));
  }
  return charts;
}

describe('kustomize helmCharts', () => {
  it('inflates charts as kubectl kustomize --enable-helm does (values merge modes, CRDs, tests)', async () => {
    const files = readFolder(join(TEST_DIR, 'helm-cases', 'inflate'));
    expect(findKustomizeCharts(files, '')).toEqual([
      {
        dir: 'charts/hello',
        name: 'hello',
        repo: '',
        version: '',
        where: 'kustomization.yaml: helmCharts[0]',
      },
    ]);
    const objects = kustomizeBuild(files, '', { charts: await loadCharts(files, '') });
    expect(objects).toEqual(golden('helm-inflate'));
  });

  it('looks for a chart pulled at a version under charts/<name>-<version>/<name>', () => {
    const files = new Map([
      [
        'app/kustomization.yaml',
        'helmCharts:\n  - name: redis\n    repo: https://charts.example.com\n    version: 1.2.3\n',
      ],
    ]);
    expect(findKustomizeCharts(files, 'app').map((request) => request.dir)).toEqual([
      'app/charts/redis-1.2.3/redis',
    ]);
    expect(() => kustomizeBuild(files, 'app')).toThrow(
      expect.objectContaining({
        code: 'KustomizeFailed',
        message:
          'app/kustomization.yaml: helmCharts[0]: no chart "redis" at "app/charts/redis-1.2.3/redis" and it was not pulled from https://charts.example.com',
      }),
    );
  });

  it('names the entry when the chart fails to render', async () => {
    const files = readFolder(join(TEST_DIR, 'helm-cases', 'inflate'));
    files.set(
      'kustomization.yaml',
      'helmCharts:\n  - name: hello\n    valuesInline:\n      replicas: [1, 2]\n',
    );
    files.set(
      'charts/hello/templates/broken.yaml',
      '{{ required "need .Values.token" .Values.token }}\n',
    );
    const charts = await loadCharts(files, '');
    expect(() => kustomizeBuild(files, '', { charts })).toThrow(
      expect.objectContaining({
        code: 'KustomizeFailed',
        message: expect.stringMatching(
          /^kustomization\.yaml: helmCharts\[0\]: .*need \.Values\.token/,
        ),
      }),
    );
  });
});
