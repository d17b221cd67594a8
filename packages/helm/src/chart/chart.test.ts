import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { ChartError } from './errors.ts';
import { DEFAULT_CHART_LIMITS, loadChartArchive, loadChartFiles } from './load-chart.ts';
import { parseSet } from './parse-set.ts';
import { planHookPhases } from './plan-hook-phases.ts';
import { formatHelmTemplate, renderChart } from './render-chart.ts';
import { sortManifests } from './sort-manifests.ts';
import type { ChartFile } from './types.ts';

const files = (entries: Record<string, string>): ChartFile[] =>
  Object.entries(entries).map(([name, text]) => ({ name, data: Buffer.from(text) }));

const OPTIONS = { releaseName: 'rel', namespace: 'ns', seed: 'test' };

async function render(
  entries: Record<string, string>,
  values: Record<string, unknown> = {},
): Promise<string> {
  const chart = await loadChartFiles(files(entries));
  return formatHelmTemplate(renderChart(chart, { ...OPTIONS, values }));
}

async function tgz(
  entries: { name: string; text?: string; type?: 'symlink'; linkname?: string }[],
): Promise<Buffer> {
  const p = pack();
  for (const e of entries) {
    if (e.type === 'symlink') p.entry({ name: e.name, type: 'symlink', linkname: e.linkname });
    else p.entry({ name: e.name }, e.text ?? '');
  }
  p.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of p) chunks.push(chunk as Buffer);
  return gzipSync(Buffer.concat(chunks));
}

const CHART_YAML = 'apiVersion: v2\nname: app\nversion: 1.0.0\nappVersion: "1.2"\n';

describe('rendering a chart as helm template does', () => {
  it('renders Helm objects, drops partials and empty documents, sorts by install order', async () => {
    const out = await render({
      'Chart.yaml': CHART_YAML,
      'values.yaml': 'replicas: 2\n',
      'templates/_helpers.tpl':
        '{{ define "app.name" }}{{ .Release.Name }}-{{ .Chart.Name }}{{ end }}',
      'templates/deploy.yaml':
        'kind: Deployment\nmetadata:\n  name: {{ include "app.name" . }}\nspec:\n  replicas: {{ .Values.replicas }}\n',
      'templates/sa.yaml': '\n---\nkind: ServiceAccount\nmetadata:\n  name: {{ .Template.Name }}\n',
      'templates/NOTES.txt': 'Thanks for installing {{ .Chart.Name }}',
    });
    expect(out).toBe(
      '---\n# Source: app/templates/sa.yaml\nkind: ServiceAccount\nmetadata:\n  name: app/templates/sa.yaml\n' +
        '---\n# Source: app/templates/deploy.yaml\nkind: Deployment\nmetadata:\n  name: rel-app\nspec:\n  replicas: 2\n',
    );
  });

  it('scopes dependency values, pushes globals down, honours conditions and aliases', async () => {
    const out = await render(
      {
        'Chart.yaml': `${CHART_YAML}dependencies:\n- name: sub\n  version: 0.1.0\n  alias: db\n- name: off\n  version: 0.1.0\n  condition: off.enabled\n`,
        'values.yaml': 'global:\n  env: prod\ndb:\n  size: 3\n',
        'charts/sub/Chart.yaml': 'apiVersion: v2\nname: sub\nversion: 0.1.0\n',
        'charts/sub/values.yaml': 'size: 1\nglobal:\n  env: dev\n',
        'charts/sub/templates/cm.yaml':
          'kind: ConfigMap\nmetadata:\n  name: {{ .Chart.Name }}\ndata:\n  size: "{{ .Values.size }}"\n  env: {{ .Values.global.env }}\n',
        'charts/off/Chart.yaml': 'apiVersion: v2\nname: off\nversion: 0.1.0\n',
        'charts/off/values.yaml': 'enabled: false\n',
        'charts/off/templates/cm.yaml': 'kind: ConfigMap\nmetadata:\n  name: off\n',
      },
      {},
    );
    expect(out).toBe(
      '---\n# Source: app/charts/db/templates/cm.yaml\nkind: ConfigMap\nmetadata:\n  name: db\ndata:\n  size: "3"\n  env: prod\n',
    );
  });

  it('puts hooks after the manifests and plans them by weight for a deploy', async () => {
    const chart = await loadChartFiles(
      files({
        'Chart.yaml': CHART_YAML,
        'templates/hooks.yaml': [
          'kind: Job\nmetadata:\n  name: b\n  annotations:\n    helm.sh/hook: pre-install\n    helm.sh/hook-weight: "5"',
          'kind: ConfigMap\nmetadata:\n  name: a\n  annotations:\n    helm.sh/hook: pre-install,pre-upgrade\n    helm.sh/hook-weight: "-1"',
          'kind: Pod\nmetadata:\n  name: t\n  annotations:\n    helm.sh/hook: test',
          'kind: Secret\nmetadata:\n  name: s',
        ].join('\n---\n'),
      }),
    );
    const rendered = renderChart(chart, OPTIONS);
    expect(rendered.manifests.map((m) => m.name)).toEqual(['s']);
    expect(formatHelmTemplate(rendered, { skipTests: true })).not.toContain('name: t');
    const phases = planHookPhases(rendered);
    expect(phases.preInstall.map((h) => `${h.name}:${h.weight}`)).toEqual(['a:-1', 'b:5']);
    expect(phases.postInstall).toEqual([]);
  });

  it('names the template, line and column of a failing `required`', async () => {
    await expect(
      render({
        'Chart.yaml': CHART_YAML,
        'templates/a.yaml': 'x: {{ required "x is required" .Values.x }}',
      }),
    ).rejects.toThrow('execution error at (app/templates/a.yaml:1:6): x is required');
  });

  it('names a template with a parse error', async () => {
    await expect(
      render({ 'Chart.yaml': CHART_YAML, 'templates/a.yaml': 'x: {{ .Values.x ' }),
    ).rejects.toThrow(/^parse error at \(app\/templates\/a.yaml:1\)/);
  });

  it('names the value that breaks values.schema.json', async () => {
    await expect(
      render(
        {
          'Chart.yaml': CHART_YAML,
          'values.schema.json': JSON.stringify({
            type: 'object',
            properties: { image: { type: 'object', properties: { tag: { type: 'string' } } } },
          }),
          'templates/a.yaml': 'x: 1',
        },
        { image: { tag: 5n } },
      ),
    ).rejects.toThrow(
      "values don't meet the specifications of the schema(s) in the following chart(s):\napp:\n- image.tag: must be string",
    );
  });

  it('names a dependency missing from charts/', async () => {
    await expect(
      render({
        'Chart.yaml': `${CHART_YAML}dependencies:\n- name: redis\n  version: 1.x\n`,
        'templates/a.yaml': 'x: 1',
      }),
    ).rejects.toThrow('app: found in Chart.yaml, but missing in charts/ directory: redis');
  });
});

describe('chart archives', () => {
  it('loads a .tgz with its dependency archive inside', async () => {
    const sub = await tgz([
      { name: 'sub/Chart.yaml', text: 'apiVersion: v2\nname: sub\nversion: 0.1.0\n' },
      { name: 'sub/templates/cm.yaml', text: 'kind: ConfigMap\nmetadata:\n  name: sub\n' },
    ]);
    const archive = await tgz([
      { name: 'app/Chart.yaml', text: CHART_YAML },
      { name: 'app/templates/a.yaml', text: 'kind: Secret\nmetadata:\n  name: a\n' },
    ]);
    const chart = await loadChartArchive(archive, DEFAULT_CHART_LIMITS, 'app.tgz');
    const withSub = await loadChartFiles([
      ...files({
        'Chart.yaml': CHART_YAML,
        'templates/a.yaml': 'kind: Secret\nmetadata:\n  name: a\n',
      }),
      { name: 'charts/sub-0.1.0.tgz', data: sub },
    ]);
    expect(chart.templates.map((t) => t.name)).toEqual(['templates/a.yaml']);
    expect(renderChart(withSub, OPTIONS).manifests.map((m) => m.path)).toEqual([
      'app/templates/a.yaml',
      'app/charts/sub/templates/cm.yaml',
    ]);
  });

  it.each([
    [[{ name: 'app/../evil.yaml', text: 'x' }], 'archive entry app/../evil.yaml leaves the chart'],
    [[{ name: '/etc/passwd', text: 'x' }], 'archive entry /etc/passwd leaves the chart'],
    [
      [{ name: 'app/link', type: 'symlink' as const, linkname: '/etc/passwd' }],
      'archive entry app/link is a symlink',
    ],
  ])('refuses an entry that leaves the chart (%#)', async (entries, message) => {
    const archive = await tgz(entries);
    await expect(loadChartArchive(archive, DEFAULT_CHART_LIMITS, 'bad.tgz')).rejects.toThrow(
      message,
    );
  });

  it('points at the subchart archive when an entry of it leaves the chart', async () => {
    const evil = await tgz([{ name: 'sub/../../evil.yaml', text: 'x' }]);
    const error = await loadChartFiles([
      ...files({ 'Chart.yaml': CHART_YAML }),
      { name: 'charts/sub-0.1.0.tgz', data: evil },
    ]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ChartError);
    expect(error).toMatchObject({
      message: expect.stringContaining('archive entry sub/../../evil.yaml leaves the chart'),
      file: 'charts/sub-0.1.0.tgz',
    });
  });

  it('bounds the size of a file', async () => {
    const archive = await tgz([{ name: 'app/big.txt', text: 'x'.repeat(2000) }]);
    const limits = { ...DEFAULT_CHART_LIMITS, maxFileBytes: 1000 };
    await expect(loadChartArchive(archive, limits, 'big.tgz')).rejects.toThrow(ChartError);
    await expect(loadChartArchive(archive, limits, 'big.tgz')).rejects.toThrow(
      'chart file big.txt is larger than 1000 bytes',
    );
  });
});

describe('--set as Helm parses it', () => {
  it.each([
    ['a.b=c', { a: { b: 'c' } }],
    ['a=1,b=true,c=null,d=007', { a: 1n, b: true, c: null, d: '007' }],
    ['list[1]=x', { list: [null, 'x'] }],
    ['a={x,y}', { a: ['x', 'y'] }],
    ['a\\.b=c\\,d', { 'a.b': 'c,d' }],
  ])('%s', (input, want) => {
    expect(parseSet(input, {})).toEqual(want);
  });
});

describe('manifest sorting', () => {
  it('orders by Helm v3.17 install order, unknown kinds last by name, files in path order', () => {
    const { manifests } = sortManifests(
      new Map([
        [
          'c/templates/b.yaml',
          'kind: ValidatingWebhookConfiguration\n---\nkind: Deployment\n---\n# only a comment',
        ],
        ['c/templates/a.yaml', 'kind: Service\n---\nkind: Namespace\n---\nkind: Widget'],
      ]),
    );
    expect(manifests.map((m) => m.kind)).toEqual([
      'Namespace',
      'Service',
      'Deployment',
      '',
      'ValidatingWebhookConfiguration',
      'Widget',
    ]);
  });
});
