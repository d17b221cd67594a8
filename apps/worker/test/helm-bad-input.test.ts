import {
  createBareRepo,
  startPlatform,
  startTestClusters,
  type BareRepo,
  type Platform,
  type TestClusters,
} from '@flotilla/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { chartArchive, greetingChart } from './chart-archives.ts';
import { json, objectExists, readObject, registerCluster } from './clusters-api.ts';

const NAMESPACE = 'helm-bad-input';

/** A chart folder `name/` with a fleet.yaml, Chart.yaml and the given files. */
function chartFolder(name: string, files: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries({
      'fleet.yaml': `defaultNamespace: ${NAMESPACE}\nhelm:\n  releaseName: ${name}\n`,
      'Chart.yaml': `apiVersion: v2\nname: ${name}\nversion: 0.1.0\n`,
      ...files,
    }).map(([file, text]) => [`${name}/${file}`, text]),
  );
}

const configMap = (data: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}
data:
${data}
`;

interface ApiBundle {
  id: string;
  path: string;
  renderError: string;
}

describe('Bad Helm input: each broken chart fails its own bundle, naming the file, and the others deploy', () => {
  let envtest: TestClusters;
  let platform: Platform;
  let repo: BareRepo;

  beforeAll(async () => {
    [envtest, platform] = await Promise.all([
      startTestClusters(1, { names: ['only'] }),
      startPlatform({
        env: {
          FLOTILLA_MONITOR_INTERVAL_SECONDS: '2',
          FLOTILLA_PROBE_INTERVAL_SECONDS: '2',
          FLOTILLA_TICK_SECONDS: '1',
          FLOTILLA_SWEEP_INTERVAL_SECONDS: '2',
        },
      }),
    ]);
    const evil = await chartArchive('evil', greetingChart('evil', '1.0.0'), {
      'evil/../../escaped.yaml': 'kind: ConfigMap\n',
    });
    repo = await createBareRepo({
      // Two healthy bundles: a chart and plain YAML.
      ...chartFolder('good-chart', {
        'values.yaml': 'greeting: hello\n',
        'templates/cm.yaml': configMap('  greeting: {{ .Values.greeting | quote }}'),
      }),
      'plain/fleet.yaml': `defaultNamespace: ${NAMESPACE}\n`,
      'plain/cm.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\n  namespace: ${NAMESPACE}\ndata:\n  a: "1"\n`,
      // A template that does not parse.
      ...chartFolder('template-error', {
        'templates/cm.yaml': configMap('  a: {{ .Values.a | nosuchfunction }}'),
      }),
      // `required` of a value nobody gives.
      ...chartFolder('required-missing', {
        'templates/cm.yaml': configMap(
          '  region: {{ required "region is required" .Values.region }}',
        ),
      }),
      // values that values.schema.json refuses.
      ...chartFolder('schema-violation', {
        'values.yaml': 'replicas: three\n',
        'values.schema.json': JSON.stringify({
          type: 'object',
          properties: { replicas: { type: 'integer' } },
        }),
        'templates/cm.yaml': configMap('  replicas: {{ .Values.replicas | quote }}'),
      }),
      // A dependency declared in Chart.yaml and absent from charts/.
      ...chartFolder('missing-dependency', {
        'Chart.yaml':
          'apiVersion: v2\nname: missing-dependency\nversion: 0.1.0\ndependencies:\n  - name: redis\n    version: 17.0.0\n    repository: https://charts.example.com\n',
        'templates/cm.yaml': configMap('  a: "1"'),
      }),
      // Archives with an entry that leaves the chart: named by helm.chart, and in charts/.
      'escaping-archive/fleet.yaml': `defaultNamespace: ${NAMESPACE}\nhelm:\n  chart: ./evil-1.0.0.tgz\n`,
      'escaping-archive/evil-1.0.0.tgz': { bytes: evil },
      ...chartFolder('escaping-subchart', {
        'Chart.yaml':
          'apiVersion: v2\nname: escaping-subchart\nversion: 0.1.0\ndependencies:\n  - name: evil\n    version: 1.0.0\n',
        'templates/cm.yaml': configMap('  a: "1"'),
      }),
      'escaping-subchart/charts/evil-1.0.0.tgz': { bytes: evil },
    });
    await registerCluster(platform, envtest.clusters[0]!, { env: 'test' });
  }, 180_000);

  afterAll(async () => {
    if (process.env.FLOTILLA_TEST_DEBUG)
      console.log(`WORKER\n${platform?.workerLog().slice(-12000)}`);
    await platform?.stop();
    await envtest?.stopAll();
    await repo?.remove();
  });

  it('reports a clear error on each broken bundle, naming the file, while the good ones deploy', async () => {
    const created = await json<{ id: string }>(
      await platform.api('/api/v1/gitrepos', {
        json: { name: 'bad-input', url: repo.url, targets: [{ clusterSelector: 'env=test' }] },
      }),
    );
    const broken = [
      'template-error',
      'required-missing',
      'schema-violation',
      'missing-dependency',
      'escaping-archive',
      'escaping-subchart',
    ];
    const errors = await vi.waitFor(
      async () => {
        const { bundles } = await json<{ bundles: ApiBundle[] }>(
          await platform.api(`/api/v1/gitrepos/${created.id}`),
        );
        const found = Object.fromEntries(
          bundles.map((bundle) => [bundle.path, bundle.renderError]),
        );
        for (const path of broken) if (!found[path]) throw new Error(`${path}: no error yet`);
        return found;
      },
      { timeout: 90_000, interval: 500 },
    );

    expect(errors['template-error']).toContain('template-error/templates/cm.yaml');
    expect(errors['template-error']).toContain('function "nosuchfunction" not defined');
    expect(errors['required-missing']).toContain('required-missing/templates/cm.yaml');
    expect(errors['required-missing']).toContain('region is required');
    expect(errors['schema-violation']).toContain('schema-violation/values.schema.json');
    expect(errors['schema-violation']).toContain('replicas: must be integer');
    expect(errors['missing-dependency']).toContain('missing-dependency/Chart.yaml');
    expect(errors['missing-dependency']).toContain('missing in charts/ directory: redis');
    expect(errors['escaping-archive']).toContain(
      'escaping-archive/evil-1.0.0.tgz: archive entry evil/../../escaped.yaml leaves the chart',
    );
    expect(errors['escaping-subchart']).toMatch(
      /\(escaping-subchart\/charts\/evil-1\.0\.0\.tgz\)$/,
    );
    expect(errors['escaping-subchart']).toContain(
      'archive entry evil/../../escaped.yaml leaves the chart',
    );
    expect(errors['good-chart']).toBe('');
    expect(errors.plain).toBe('');

    const cluster = envtest.clusters[0]!;
    await vi.waitFor(
      async () => {
        const good = (await readObject(cluster, {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          namespace: NAMESPACE,
          name: 'good-chart',
        })) as { data?: Record<string, string> };
        expect(good.data).toEqual({ greeting: 'hello' });
        const plain = (await readObject(cluster, {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          namespace: NAMESPACE,
          name: 'plain',
        })) as { data?: Record<string, string> };
        expect(plain.data).toEqual({ a: '1' });
      },
      { timeout: 90_000, interval: 500 },
    );
    for (const name of broken) {
      expect(
        await objectExists(cluster, {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          namespace: NAMESPACE,
          name,
        }),
        name,
      ).toBe(false);
    }
  });
});
