import { describe, expect, it } from 'vitest';
import type { TargetCustomization } from '../options/index.ts';
import { loadBundleOptions } from '../options/index.ts';
import type { KubeObject } from '../types.ts';
import { loadBundleChart, renderBundle } from './render-bundle.ts';
import type { RenderBundleInput } from './render-bundle.ts';

const CHART = 'apiVersion: v2\nname: web\nversion: 1.0.0\n';

const configMapTemplate = (data: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-config\n  namespace: {{ .Release.Namespace }}\ndata:\n${data}`;

/** Loads and renders the Helm bundle at "app", as the render job would. */
async function render(
  entries: Record<string, string>,
  customization?: Partial<TargetCustomization>,
  extra: Partial<RenderBundleInput> = {},
) {
  const files = new Map(Object.entries(entries));
  const options = loadBundleOptions(files, 'app');
  const custom = customization && { name: 'custom', doNotDeploy: false, ...customization };
  const input = { files, bundlePath: 'app', options, customization: custom };
  const chart = await loadBundleChart(input);
  return renderBundle({ ...input, chart, ...extra });
}

const dataOf = (objects: KubeObject[]) =>
  (objects[0] as unknown as { data: Record<string, string> }).data;

async function failure(
  promise: Promise<unknown>,
): Promise<{ code: string; message: string; where: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code: string; message: string; where: string };
  }
  throw new Error('expected the render to fail');
}

describe('renderBundle: Helm charts', () => {
  it('renders a chart at the top of the bundle with Fleet defaults for release and namespace', async () => {
    const { objects, deployOptions } = await render({
      'app/Chart.yaml': CHART,
      'app/values.yaml': 'greeting: hello\n',
      'app/templates/config.yaml': configMapTemplate('  greeting: {{ .Values.greeting }}\n'),
      'app/README.md': 'not a manifest',
    });
    // The release is named after the bundle; Helm installs into "default" without namespace options.
    expect(objects.map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      'default/app-config',
    ]);
    expect(dataOf(objects)).toEqual({ greeting: 'hello' });
    expect(deployOptions.helm).toBeUndefined();
  });

  it('uses helm.releaseName, the chart folder helm.chart names, and defaultNamespace', async () => {
    const { objects } = await render({
      'app/fleet.yaml': 'defaultNamespace: apps\nhelm: { chart: ./chart, releaseName: web }',
      'app/chart/Chart.yaml': CHART,
      'app/chart/templates/config.yaml': configMapTemplate('  a: "1"\n'),
      // Fleet renders only the chart: other YAML of the bundle is not deployed beside it.
      'app/other.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\n',
    });
    expect(objects.map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      'apps/web-config',
    ]);
  });

  it('merges values in Helm order: chart < valuesFiles < values < the customization', async () => {
    const entries = {
      'app/fleet.yaml': [
        'helm:',
        '  valuesFiles: [files/base.yaml]',
        '  values: { b: values, c: values }',
      ].join('\n'),
      'app/files/base.yaml': 'a: file\nb: file\nc: file\nd: file\n',
      'app/files/custom.yaml': 'c: custom-file\n',
      'app/Chart.yaml': CHART,
      'app/values.yaml': 'a: chart\nb: chart\nc: chart\nd: chart\ne: chart\n',
      'app/templates/config.yaml': configMapTemplate(
        ['a', 'b', 'c', 'd', 'e'].map((k) => `  ${k}: {{ .Values.${k} }}\n`).join(''),
      ),
    };
    expect(dataOf((await render(entries)).objects)).toEqual({
      a: 'file',
      b: 'values',
      c: 'values',
      d: 'file',
      e: 'chart',
    });
    const custom = { helm: { valuesFiles: ['files/custom.yaml'], values: { d: 'custom' } } };
    expect(dataOf((await render(entries, custom)).objects)).toEqual({
      a: 'file',
      b: 'values',
      c: 'custom-file',
      d: 'custom',
      e: 'chart',
    });
  });

  it('gives random functions the same seed for the same bundle, customization and release', async () => {
    const entries = {
      'app/Chart.yaml': CHART,
      'app/templates/config.yaml': configMapTemplate('  password: {{ randAlphaNum 16 }}\n'),
    };
    const first = dataOf((await render(entries)).objects).password;
    expect(first).toMatch(/^[A-Za-z0-9]{16}$/);
    expect(dataOf((await render(entries)).objects).password).toBe(first);
    expect(dataOf((await render(entries, { helm: { values: {} } })).objects).password).not.toBe(
      first,
    );
  });

  it('refuses valuesFrom until renders are per cluster, and merges values the caller read', async () => {
    const entries = {
      'app/fleet.yaml': 'helm: { valuesFrom: [ { secretKeyRef: { name: s, key: values.yaml } } ] }',
      'app/Chart.yaml': CHART,
      'app/templates/config.yaml': configMapTemplate('  a: {{ .Values.a }}\n'),
    };
    expect(await failure(render(entries))).toMatchObject({
      code: 'Unsupported',
      message: expect.stringContaining(
        'helm.valuesFrom reads ConfigMaps and Secrets of each cluster',
      ),
    });
    const { objects } = await render(entries, undefined, { valuesFrom: [{ a: 'from-cluster' }] });
    expect(dataOf(objects)).toEqual({ a: 'from-cluster' });
  });

  it("refuses Fleet's ${ } values templating unless disablePreProcess is set", async () => {
    const entries = (flag: string) => ({
      'app/fleet.yaml': `helm: { ${flag} values: { name: "\${ .ClusterName }" } }`,
      'app/Chart.yaml': CHART,
      'app/templates/config.yaml': configMapTemplate('  name: {{ .Values.name | quote }}\n'),
    });
    expect(await failure(render(entries('')))).toMatchObject({
      code: 'Unsupported',
      where: 'helm.values.name',
    });
    const { objects } = await render(entries('disablePreProcess: true,'));
    expect(dataOf(objects)).toEqual({ name: '${ .ClusterName }' });
  });

  it('runs kustomize over the chart output when the kustomize dir holds a kustomization', async () => {
    const { objects } = await render({
      'app/fleet.yaml': 'kustomize: { dir: overlay }',
      'app/Chart.yaml': CHART,
      'app/templates/config.yaml': configMapTemplate('  a: chart\n'),
      'app/overlay/kustomization.yaml': 'namePrefix: x-\ncommonLabels: { team: a }\n',
    });
    expect(objects.map((o) => o.metadata.name)).toEqual(['x-app-config']);
    expect(objects[0]?.metadata.labels).toEqual({ team: 'a' });
  });

  it("renders a raw-YAML bundle's templates/ with Helm, as Fleet does, beside its plain YAML", async () => {
    const { objects } = await render({
      'app/fleet.yaml': 'helm: { values: { greeting: hi } }',
      'app/templates/config.yaml': configMapTemplate(
        '  greeting: {{ .Values.greeting }}\n  chart: {{ .Chart.Name }}\n',
      ),
      'app/plain.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\n',
    });
    expect(objects.map((o) => o.metadata.name)).toEqual(['app-config', 'plain']);
    expect(dataOf(objects)).toEqual({ greeting: 'hi', chart: 'app' });
  });

  it('says which chart a bundle needs when the caller has not fetched it', async () => {
    expect(
      await failure(
        render({
          'app/fleet.yaml':
            'helm: { repo: https://charts.example.com, chart: web, version: 1.2.3 }',
        }),
      ),
    ).toMatchObject({
      code: 'HelmFailed',
      message:
        'app: the chart (repo https://charts.example.com, chart web, version 1.2.3) has not been fetched: downloading charts is not supported yet',
    });
  });
});

describe('renderBundle: Helm charts that cannot render name the file', () => {
  it('a template error', async () => {
    const error = await failure(
      render({
        'app/Chart.yaml': CHART,
        'app/templates/config.yaml': configMapTemplate('  a: {{ .Values.a | nosuchfunction }}\n'),
      }),
    );
    expect(error).toMatchObject({
      code: 'HelmFailed',
      where: 'app/templates/config.yaml',
      message: expect.stringContaining('web/templates/config.yaml'),
    });
    expect(error.message).toContain('nosuchfunction');
  });

  it('a missing `required` value', async () => {
    const error = await failure(
      render({
        'app/Chart.yaml': CHART,
        'app/templates/config.yaml': configMapTemplate(
          '  tag: {{ required "image.tag is required" .Values.image.tag }}\n',
        ),
        'app/values.yaml': 'image: {}\n',
      }),
    );
    expect(error).toMatchObject({ code: 'HelmFailed', where: 'app/templates/config.yaml' });
    // Helm says `execution error at (web/templates/config.yaml:7:10): ...`; either way the
    // template, line and message are there.
    expect(error.message).toMatch(/web\/templates\/config\.yaml:7:10\b.*image\.tag is required/);
  });

  it('a schema violation, unless skipSchemaValidation is set', async () => {
    const entries = (options: string) => ({
      'app/fleet.yaml': `helm: { ${options} values: { replicas: two } }`,
      'app/Chart.yaml': CHART,
      'app/values.schema.json': JSON.stringify({
        type: 'object',
        properties: { replicas: { type: 'integer' } },
      }),
      'app/templates/config.yaml': configMapTemplate(
        '  replicas: {{ .Values.replicas | quote }}\n',
      ),
    });
    const error = await failure(render(entries('')));
    expect(error).toMatchObject({ code: 'HelmFailed', where: 'app/values.schema.json' });
    expect(error.message).toContain('replicas: must be integer');
    const { objects } = await render(entries('skipSchemaValidation: true,'));
    expect(dataOf(objects)).toEqual({ replicas: 'two' });
  });

  it('a missing dependency', async () => {
    const error = await failure(
      render({
        'app/Chart.yaml': `${CHART}dependencies:\n  - name: db\n    version: 1.0.0\n    repository: https://charts.example.com\n`,
        'app/templates/config.yaml': configMapTemplate('  a: b\n'),
      }),
    );
    expect(error).toMatchObject({ code: 'HelmFailed' });
    expect(error.message).toContain('db');
    expect(error.where.startsWith('app')).toBe(true);
  });

  it('a values file that is not in the bundle', async () => {
    expect(
      await failure(
        render({
          'app/fleet.yaml': 'helm: { valuesFiles: [missing.yaml] }',
          'app/Chart.yaml': CHART,
          'app/templates/config.yaml': configMapTemplate('  a: b\n'),
        }),
      ),
    ).toMatchObject({
      code: 'HelmFailed',
      where: 'app/missing.yaml',
      message: 'helm.valuesFiles: app/missing.yaml does not exist in the bundle',
    });
  });

  it('a broken Chart.yaml', async () => {
    expect(
      await failure(
        render({ 'app/Chart.yaml': 'name: web\n', 'app/templates/a.yaml': configMapTemplate('') }),
      ),
    ).toMatchObject({ code: 'HelmFailed', where: 'app/Chart.yaml' });
  });
});
