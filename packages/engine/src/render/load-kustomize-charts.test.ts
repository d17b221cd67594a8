import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { loadChartFiles } from '@flotilla/helm';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadBundleOptions } from '../options/index.ts';
import type { KubeObject } from '../types.ts';
import { loadKustomizeCharts } from './load-kustomize-charts.ts';
import { renderBundle } from './render-bundle.ts';

const TEST_DIR = resolve(import.meta.dirname, '../../test/kustomize');

/** The helmCharts case whose output kubectl kustomize --enable-helm recorded, as bundle "app". */
function bundleFiles(): Map<string, string> {
  const root = join(TEST_DIR, 'helm-cases', 'inflate');
  const files = new Map<string, string>();
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(`app/${relative(root, path)}`, readFileSync(path, 'utf8'));
  }
  return files;
}

const golden = (): KubeObject[] =>
  parseAllDocuments(readFileSync(join(TEST_DIR, 'golden', 'helm-inflate.yaml'), 'utf8'))
    .map((document) => document.toJS() as KubeObject)
    .map((object) => ({ ...object, metadata: { ...object.metadata, namespace: 'apps' } }));

describe('a kustomize bundle with helmCharts', () => {
  it('renders the charts of its folder', async () => {
    const files = bundleFiles();
    files.set('app/fleet.yaml', 'defaultNamespace: apps\n');
    const input = { files, bundlePath: 'app', options: loadBundleOptions(files, 'app') };
    const kustomizeCharts = await loadKustomizeCharts(input);
    expect([...(kustomizeCharts?.keys() ?? [])]).toEqual(['app/charts/hello']);
    const { objects } = renderBundle({ ...input, kustomizeCharts });
    // The CRD is cluster-scoped: defaultNamespace leaves it alone.
    const expected = golden().map((object) =>
      object.kind === 'CustomResourceDefinition'
        ? { ...object, metadata: { name: object.metadata.name } }
        : object,
    );
    expect(objects).toEqual(expected);
  });

  it('pulls a chart the bundle lacks from the entry repo, and names the entry when that fails', async () => {
    const chartFiles = [...bundleFiles()]
      .filter(([path]) => path.startsWith('app/charts/hello/'))
      .map(([path, text]) => ({
        name: path.slice('app/charts/hello/'.length),
        data: Buffer.from(text),
      }));
    const files = new Map([
      [
        'app/kustomization.yaml',
        'helmCharts:\n  - name: hello\n    repo: https://charts.example.com\n    version: 0.1.0\n    releaseName: pulled\n',
      ],
    ]);
    const input = { files, bundlePath: 'app', options: loadBundleOptions(files, 'app') };
    const pulls: string[] = [];
    const kustomizeCharts = await loadKustomizeCharts({
      ...input,
      pullChart: async (request) => {
        pulls.push(`${request.repo} ${request.name} ${request.version}`);
        return loadChartFiles(chartFiles);
      },
    });
    expect(pulls).toEqual(['https://charts.example.com hello 0.1.0']);
    const { objects } = renderBundle({ ...input, kustomizeCharts });
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'ConfigMap/pulled-settings',
      'Deployment/pulled-hello',
      'Pod/pulled-test',
    ]);

    await expect(
      loadKustomizeCharts({
        ...input,
        pullChart: () => Promise.reject(new Error('404 Not Found')),
      }),
    ).rejects.toMatchObject({
      code: 'KustomizeFailed',
      message: 'app/kustomization.yaml: helmCharts[0]: chart "hello": 404 Not Found',
    });
  });
});
