import { describe, expect, it } from 'vitest';
import { ChartError } from './errors.ts';
import { loadChartFiles } from './load-chart.ts';
import { formatHelmTemplate, noClusterReads, renderChart } from './render-chart.ts';
import type { ChartFile } from './types.ts';

const CHART_YAML = 'apiVersion: v2\nname: app\nversion: 1.0.0\n';

const chartOf = (template: string, chartYaml = CHART_YAML) =>
  loadChartFiles(
    Object.entries({ 'Chart.yaml': chartYaml, 'templates/x.yaml': template }).map(
      ([name, text]): ChartFile => ({ name, data: Buffer.from(text) }),
    ),
  );

const OPTIONS = { releaseName: 'rel', namespace: 'ns', seed: 'seed' };

describe('renderChart reports what it read that may differ per cluster', () => {
  it.each([
    ['plain values', 'a: {{ .Values.x | default "1" }}', noClusterReads()],
    ['HelmVersion only', 'a: {{ .Capabilities.HelmVersion.Version }}', noClusterReads()],
    [
      'KubeVersion',
      'a: {{ semverCompare ">=1.21" .Capabilities.KubeVersion.Version }}',
      { ...noClusterReads(), capabilities: true },
    ],
    [
      'APIVersions.Has',
      'a: {{ .Capabilities.APIVersions.Has "apps/v1" }}',
      { ...noClusterReads(), capabilities: true },
    ],
    ['randAlphaNum', 'a: {{ randAlphaNum 8 }}', { ...noClusterReads(), random: true }],
    ['uuidv4', 'a: {{ uuidv4 }}', { ...noClusterReads(), random: true }],
    [
      'two lookups',
      'a: {{ (lookup "v1" "Secret" "ns" "s").data }}{{ lookup "v1" "ConfigMap" "" "" }}',
      { ...noClusterReads(), lookups: 2 },
    ],
  ])('%s', async (_name, template, expected) => {
    const reads = noClusterReads();
    renderChart(await chartOf(template), { ...OPTIONS, reads });
    expect(reads).toEqual(expected);
  });

  it('still reports reads when the render fails after them', async () => {
    const reads = noClusterReads();
    const chart = await chartOf(
      'a: {{ required "the secret must exist" (lookup "v1" "Secret" "ns" "s").data }}',
    );
    expect(() => renderChart(chart, { ...OPTIONS, reads })).toThrow(ChartError);
    expect(reads.lookups).toBe(1);
  });

  it("a Chart.yaml kubeVersion constraint depends on the cluster's version", async () => {
    const reads = noClusterReads();
    const chart = await chartOf('a: b', `${CHART_YAML}kubeVersion: ">=1.21.0"\n`);
    expect(() => renderChart(chart, { ...OPTIONS, reads, kubeVersion: 'v1.20.2' })).toThrow(
      /incompatible with Kubernetes v1.20.2/,
    );
    expect(reads.capabilities).toBe(true);
  });

  it("clusterApiVersions replace Helm's defaults; lookup answers from the function given", async () => {
    const chart = await chartOf(
      [
        'has-apps: {{ .Capabilities.APIVersions.Has "apps/v1" }}',
        'has-crd: {{ .Capabilities.APIVersions.Has "example.com/v1/Widget" }}',
        'kube: {{ .Capabilities.KubeVersion.Version }}',
        'secret: {{ (lookup "v1" "Secret" "ns" "s").data.token }}',
      ].join('\n'),
    );
    const output = formatHelmTemplate(
      renderChart(chart, {
        ...OPTIONS,
        kubeVersion: 'v1.20.2',
        clusterApiVersions: ['v1', 'example.com/v1', 'example.com/v1/Widget'],
        lookup: (apiVersion, kind, namespace, name) =>
          `${apiVersion}/${kind}/${namespace}/${name}` === 'v1/Secret/ns/s'
            ? { data: { token: 'dG9r' } }
            : {},
      }),
    );
    expect(output).toContain('has-apps: false');
    expect(output).toContain('has-crd: true');
    expect(output).toContain('kube: v1.20.2');
    expect(output).toContain('secret: dG9r');
  });

  it('toJson of .Capabilities still shows KubeVersion and APIVersions', async () => {
    const reads = noClusterReads();
    const chart = await chartOf(
      'a: {{ toJson .Capabilities | fromJson | keys | sortAlpha | join "," }}',
    );
    const output = formatHelmTemplate(renderChart(chart, { ...OPTIONS, reads }));
    expect(output).toContain('a: APIVersions,HelmVersion,KubeVersion');
  });
});
