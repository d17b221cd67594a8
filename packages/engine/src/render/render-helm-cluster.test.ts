import { noClusterReads } from '@flotilla/helm';
import { describe, expect, it } from 'vitest';
import { loadBundleOptions } from '../options/index.ts';
import type { KubeObject } from '../types.ts';
import { loadBundleChart, renderBundle } from './render-bundle.ts';
import type { HelmTargetCluster } from './render-helm.ts';

const FILES = {
  'app/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 1.0.0\n',
  'app/templates/config.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: web
data:
  password: {{ randAlphaNum 16 | quote }}
  {{- if semverCompare ">=1.21-0" .Capabilities.KubeVersion.Version }}
  branch: new
  {{- else }}
  branch: old
  {{- end }}
  hasWidget: {{ .Capabilities.APIVersions.Has "example.com/v1/Widget" | quote }}
  token: {{ dig "data" "token" "none" (lookup "v1" "Secret" "app" "db") | quote }}
`,
};

const cluster = (seedKey: string, extra: Partial<HelmTargetCluster> = {}): HelmTargetCluster => ({
  seedKey,
  kubeVersion: 'v1.20.2',
  apiVersions: ['v1', 'example.com/v1', 'example.com/v1/Widget'],
  lookup: () => ({}),
  ...extra,
});

async function render(target?: HelmTargetCluster, seedSecret?: string) {
  const files = new Map(Object.entries(FILES));
  const options = loadBundleOptions(files, 'app');
  const input = { files, bundlePath: 'app', options };
  const chart = await loadBundleChart(input);
  const reads = noClusterReads();
  const { objects } = renderBundle({
    ...input,
    chart,
    bundleName: 'repo-app',
    cluster: target,
    seedSecret,
    reads,
  });
  return { data: (objects[0] as KubeObject & { data: Record<string, string> }).data, reads };
}

describe('renderBundle for one cluster', () => {
  it('answers Capabilities and lookup from the cluster, and reports that it read them', async () => {
    const { data, reads } = await render(
      cluster('c1', {
        lookup: (apiVersion, kind, namespace, name) =>
          [apiVersion, kind, namespace, name].join('/') === 'v1/Secret/app/db'
            ? { data: { token: 'dG9rZW4=' } }
            : {},
      }),
    );
    expect(data.branch).toBe('old');
    expect(data.hasWidget).toBe('true');
    expect(data.token).toBe('dG9rZW4=');
    expect(reads).toEqual({ capabilities: true, random: true, lookups: 1 });
  });

  it('seeds random values by (bundle, cluster, release): stable per cluster, distinct across clusters', async () => {
    const [first, again, other] = await Promise.all([
      render(cluster('c1')),
      render(cluster('c1')),
      render(cluster('c2')),
    ]);
    expect(again.data.password).toBe(first.data.password);
    expect(other.data.password).not.toBe(first.data.password);
  });

  it("mixes the platform's secret into the seed: names and ids alone do not give the values", async () => {
    const [plain, keyA, keyAagain, keyB] = await Promise.all([
      render(cluster('c1')),
      render(cluster('c1'), 'key-a'),
      render(cluster('c1'), 'key-a'),
      render(cluster('c1'), 'key-b'),
    ]);
    expect(keyAagain.data.password).toBe(keyA.data.password);
    expect(keyA.data.password).not.toBe(plain.data.password);
    expect(keyB.data.password).not.toBe(keyA.data.password);
  });

  it("without a cluster, Helm's defaults (v1.32) and an empty lookup", async () => {
    const { data } = await render();
    expect(data.branch).toBe('new');
    expect(data.hasWidget).toBe('false');
    expect(data.token).toBe('none');
  });
});
