import { describe, expect, it } from 'vitest';
import type { TargetCustomization } from '../options/index.ts';
import { loadBundleOptions } from '../options/index.ts';
import { chartOriginOf, isSecretLookingKey, MASKED_VALUE } from './describe-helm-render.ts';
import { loadBundleChart, renderBundle } from './render-bundle.ts';
import type { RenderBundleInput } from './render-bundle.ts';

const CHART = 'apiVersion: v2\nname: web\nversion: 1.2.3\nappVersion: "4.5"\n';
const TEMPLATE =
  'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  color: {{ .Values.color | quote }}\n';

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

describe('renderBundle: the chart and values a Helm copy rendered with', () => {
  it('names the chart, its folder, and the merged values with secrets masked', async () => {
    const { helm } = await render(
      {
        'app/fleet.yaml': [
          'helm:',
          '  chart: ./chart',
          '  valuesFiles: [extra.yaml]',
          '  values:',
          '    color: blue',
          '    db: { host: db.local, password: hunter2 }',
          '    tolerations: [{ key: gpu, value: "true" }]',
        ].join('\n'),
        'app/extra.yaml': 'replicas: 2\napiToken: abc\ncolor: green\n',
        'app/chart/Chart.yaml': CHART,
        'app/chart/values.yaml': 'color: red\nreplicas: 1\n',
        'app/chart/templates/config.yaml': TEMPLATE,
      },
      { helm: { values: { color: 'black', auth: { user: 'me', pass: 'x' } } } },
    );
    expect(helm?.chart).toEqual({
      name: 'web',
      version: '1.2.3',
      appVersion: '4.5',
      origin: { kind: 'folder', path: 'app/chart' },
    });
    // Chart defaults are not repeated; the customization wins over the bundle's values.
    expect(helm?.values).toEqual({
      replicas: 2,
      apiToken: MASKED_VALUE,
      color: 'black',
      db: { host: 'db.local', password: MASKED_VALUE },
      tolerations: [{ key: MASKED_VALUE, value: 'true' }],
      auth: { user: MASKED_VALUE, pass: MASKED_VALUE },
    });
  });

  it('masks every value read from a Secret, not those from a ConfigMap', async () => {
    const { objects, helm } = await render(
      {
        'app/fleet.yaml': [
          'helm:',
          '  valuesFrom:',
          '    - configMapKeyRef: { name: plain, key: values.yaml }',
          '    - secretKeyRef: { name: private, key: values.yaml }',
        ].join('\n'),
        'app/Chart.yaml': CHART,
        'app/templates/config.yaml': TEMPLATE,
      },
      undefined,
      {
        valuesFrom: [
          { region: 'eu', color: 'plain' },
          { color: 'from-secret', nested: { a: 1 } },
        ],
      },
    );
    // The render itself used the real value.
    expect((objects[0] as unknown as { data: object }).data).toEqual({ color: 'from-secret' });
    expect(helm?.values).toEqual({
      region: 'eu',
      color: MASKED_VALUE,
      nested: { a: MASKED_VALUE },
    });
  });

  it('leaves non-Helm bundles without a chart summary', async () => {
    const { helm } = await render({
      'app/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n',
    });
    expect(helm).toBeUndefined();
  });

  it.each([
    ['password', true],
    ['adminPassword', true],
    ['api_key', true],
    ['tls.key', true],
    ['clientSecret', true],
    ['existingSecret', true],
    ['token', true],
    ['basicAuth', true],
    ['keyName', true],
    ['replicas', false],
    ['image', false],
    ['monkeyCount', false],
    ['hosts', false],
  ])('isSecretLookingKey(%s) is %s', (key, expected) => {
    expect(isSecretLookingKey(key)).toBe(expected);
  });

  it.each([
    [
      { repo: 'https://user:pw@charts.example.com/', chart: 'web', version: '^1' },
      { kind: 'repository', url: 'https://charts.example.com/', chart: 'web', version: '^1' },
    ],
    [
      { repo: '', chart: 'oci://reg.example.com/charts/web', version: '1.0.0' },
      { kind: 'oci', ref: 'oci://reg.example.com/charts/web', version: '1.0.0' },
    ],
    [
      { repo: 'oci://reg.example.com/charts/', chart: 'web', version: '' },
      { kind: 'oci', ref: 'oci://reg.example.com/charts/web', version: '' },
    ],
    [
      { repo: '', chart: 'https://u:p@example.com/web-1.0.0.tgz', version: '' },
      { kind: 'url', url: 'https://example.com/web-1.0.0.tgz' },
    ],
  ])('describes the external chart %j without credentials', (request, origin) => {
    expect(
      chartOriginOf({ kind: 'external', request: { ...request, isInRepository: false } }, 'app'),
    ).toEqual(origin);
  });
});
