import { describe, expect, it } from 'vitest';
import type { BundleOptions, TargetCustomization } from '../options/index.ts';
import { loadBundleOptions } from '../options/index.ts';
import type { KubeObject } from '../types.ts';
import { renderBundle } from './render-bundle.ts';

const configMap = (name: string, extra = '') =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${extra}`;

const files = (entries: Record<string, string>) => new Map(Object.entries(entries));

/** Renders the bundle at "app" with its own options file, as the render job would. */
function render(entries: Record<string, string>, customization?: Partial<TargetCustomization>) {
  const repo = files(entries);
  const options = loadBundleOptions(repo, 'app');
  const custom = customization && { name: 'custom', doNotDeploy: false, ...customization };
  return renderBundle({ files: repo, bundlePath: 'app', options, customization: custom });
}

const ids = (objects: KubeObject[]) =>
  objects.map(({ kind, metadata }) => `${kind}/${metadata.namespace ?? ''}/${metadata.name}`);

describe('renderBundle: raw YAML', () => {
  it('reads every .yaml, .yml and .json file in path order, documents in file order', () => {
    const { objects } = render({
      'app/b.yaml': `${configMap('b1')}---\n${configMap('b2')}`,
      'app/a/z.yml': configMap('a-z'),
      'app/a.json': '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "json"}}',
      'app/README.md': 'not yaml',
      'app/script.sh': 'echo',
      'other/c.yaml': configMap('not-in-bundle'),
    });
    // Byte order, as Fleet sorts: "a.json" < "a/z.yml" < "b.yaml".
    expect(ids(objects)).toEqual([
      'ConfigMap/default/json',
      'ConfigMap/default/a-z',
      'ConfigMap/default/b1',
      'ConfigMap/default/b2',
    ]);
  });

  it('leaves out options files, hidden files, overlays and folders that are bundles or charts', () => {
    const { objects } = render({
      'app/fleet.yaml': 'defaultNamespace: web',
      'app/flotilla.yaml': 'defaultNamespace: web',
      'app/keep.yaml': configMap('keep'),
      'app/.hidden.yaml': configMap('hidden-file'),
      'app/.github/workflow.yaml': configMap('hidden-folder'),
      'app/overlays/prod/extra.yaml': configMap('overlay-file'),
      'app/nested/fleet.yaml': '{}',
      'app/nested/deploy.yaml': configMap('nested-bundle'),
      'app/charts/sub/Chart.yaml': 'name: sub',
      'app/charts/sub/values.yaml': 'replicas: 1',
      'app/deeper/more.yaml': configMap('deeper'),
    });
    expect(ids(objects)).toEqual(['ConfigMap/web/deeper', 'ConfigMap/web/keep']);
  });

  it('honours .fleetignore files, which apply to their folder and below', () => {
    const { objects } = render({
      'app/.fleetignore': '# comment\n*.local.yaml\nscratch/*\n',
      'app/keep.yaml': configMap('keep'),
      'app/dev.local.yaml': configMap('local'),
      'app/scratch/tmp.yaml': configMap('scratch'),
      'app/sub/.fleetignore': 'secret.yaml',
      'app/sub/secret.yaml': configMap('secret'),
      'app/sub/other.local.yaml': configMap('sub-local'),
      'app/secret.yaml': configMap('top-secret'),
    });
    expect(ids(objects)).toEqual(['ConfigMap/default/keep', 'ConfigMap/default/top-secret']);
  });

  it('refuses two copies of one object, naming both files', () => {
    expect(() => render({ 'app/a.yaml': configMap('x'), 'app/b.yaml': configMap('x') })).toThrow(
      expect.objectContaining({
        code: 'YamlInvalid',
        message: 'ConfigMap "x" is defined twice (app/a.yaml and app/b.yaml)',
      }),
    );
  });

  it('returns the resolved deploy options with the objects', () => {
    const { deployOptions } = render(
      { 'app/fleet.yaml': 'namespace: base\nkeepResources: true', 'app/a.yaml': configMap('a') },
      { namespace: 'custom' },
    );
    expect(deployOptions).toMatchObject({ namespace: 'custom', keepResources: true });
  });
});

describe('renderBundle: namespaces', () => {
  const mixed = {
    'app/a-namespaced.yaml': `${configMap('plain')}---\n${configMap('explicit', '  namespace: own\n')}`,
    'app/b-cluster.yaml': `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: reader, namespace: ignored }
---
apiVersion: v1
kind: Namespace
metadata: { name: web }
`,
  };

  it('puts namespaced objects without one in "default" and strips it from cluster-scoped ones', () => {
    expect(ids(render(mixed).objects)).toEqual([
      'ConfigMap/default/plain',
      'ConfigMap/own/explicit',
      'ClusterRole//reader',
      'Namespace//web',
    ]);
  });

  it('fills defaultNamespace only where no namespace is given', () => {
    expect(ids(render({ ...mixed, 'app/fleet.yaml': 'defaultNamespace: web' }).objects)).toEqual([
      'ConfigMap/web/plain',
      'ConfigMap/own/explicit',
      'ClusterRole//reader',
      'Namespace//web',
    ]);
  });

  it('forces namespace on every namespaced object', () => {
    const { objects } = render({
      'app/fleet.yaml': 'namespace: web',
      'app/a.yaml': mixed['app/a-namespaced.yaml'],
    });
    expect(ids(objects)).toEqual(['ConfigMap/web/plain', 'ConfigMap/web/explicit']);
  });

  it('refuses cluster-scoped objects under namespace, as Fleet does', () => {
    expect(() => render({ ...mixed, 'app/fleet.yaml': 'namespace: web' })).toThrow(
      expect.objectContaining({
        code: 'OptionsInvalid',
        message: expect.stringContaining(
          'namespace "web" forbids cluster-scoped objects, but the bundle has ClusterRole "reader"',
        ),
      }),
    );
  });

  it('takes the scope of custom kinds from the CRDs in the same bundle', () => {
    const crd = (kind: string, scope: string) => `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: ${kind.toLowerCase()}s.example.com }
spec: { group: example.com, scope: ${scope}, names: { kind: ${kind}, plural: ${kind.toLowerCase()}s } }
`;
    const { objects } = render({
      'app/fleet.yaml': 'defaultNamespace: web',
      'app/crds.yaml': `${crd('Tenant', 'Cluster')}---\n${crd('Widget', 'Namespaced')}`,
      'app/objects.yaml': `apiVersion: example.com/v1
kind: Tenant
metadata: { name: acme }
---
apiVersion: example.com/v1
kind: Widget
metadata: { name: w }
---
apiVersion: other.io/v1
kind: Gadget
metadata: { name: g }
`,
    });
    expect(ids(objects)).toEqual([
      'CustomResourceDefinition//tenants.example.com',
      'CustomResourceDefinition//widgets.example.com',
      'Tenant//acme',
      'Widget/web/w',
      'Gadget/web/g',
    ]);
  });

  it('lets the customization override the namespace', () => {
    const entries = { 'app/fleet.yaml': 'namespace: base', 'app/a.yaml': configMap('a') };
    expect(ids(render(entries, { namespace: 'custom' }).objects)).toEqual(['ConfigMap/custom/a']);
    expect(ids(render(entries, { namespace: '-', defaultNamespace: 'fallback' }).objects)).toEqual([
      'ConfigMap/fallback/a',
    ]);
  });
});

describe('renderBundle: bundle styles', () => {
  it.each<[string, Record<string, string>, Partial<TargetCustomization> | undefined]>([
    [
      'a Chart.yaml',
      { 'app/Chart.yaml': 'name: web\nversion: 1.0.0', 'app/templates/a.yaml': configMap('a') },
      undefined,
    ],
    [
      'helm.chart in the options',
      { 'app/fleet.yaml': 'helm: { chart: https://example.com/web.tgz }' },
      undefined,
    ],
    [
      'helm.repo in the customization',
      { 'app/fleet.yaml': '{}' },
      { helm: { repo: 'https://charts.example.com', chart: 'web' } },
    ],
  ])(
    'treats a bundle with %s as a Helm bundle, whose chart must be loaded first',
    (_case, entries, customization) => {
      expect(() => render({ 'app/a.yaml': configMap('a'), ...entries }, customization)).toThrow(
        expect.objectContaining({
          code: 'Unsupported',
          message: 'app is a Helm bundle: its chart must be loaded first (loadBundleChart)',
        }),
      );
    },
  );

  it('renders raw YAML whose options only carry helm values, as Fleet ignores them there', () => {
    const { objects, deployOptions } = render({
      'app/fleet.yaml': 'helm: { releaseName: web, values: { a: 1 } }',
      'app/a.yaml': configMap('a'),
    });
    expect(ids(objects)).toEqual(['ConfigMap/default/a']);
    expect(deployOptions.helm).toBeUndefined();
  });

  it('refuses a kustomize.dir without a kustomization instead of deploying the raw files', () => {
    expect(() =>
      render({ 'app/a.yaml': configMap('a') }, { kustomize: { dir: 'overlays/prod' } }),
    ).toThrow(
      expect.objectContaining({
        code: 'KustomizeFailed',
        message: expect.stringContaining(
          'kustomize.dir "overlays/prod" holds no kustomization.yaml',
        ),
      }),
    );
  });

  it('refuses a kustomize.dir outside the bundle', () => {
    expect(() =>
      render({ 'app/a.yaml': configMap('a') }, { kustomize: { dir: '../shared' } }),
    ).toThrow(expect.objectContaining({ code: 'PathEscapes' }));
  });

  it('builds the kustomization of the bundle root when there is one, even without kustomize.dir', () => {
    const { objects } = render({
      'app/kustomization.yaml': 'resources: [a.yaml]\nnamePrefix: k-\n',
      'app/a.yaml': configMap('a'),
      'app/unlisted.yaml': configMap('unlisted'),
    });
    expect(ids(objects)).toEqual(['ConfigMap/default/k-a']);
  });

  it('refuses a bundle path that leaves the repository', () => {
    const options: BundleOptions = {
      labels: {},
      paused: false,
      dependsOn: [],
      targetCustomizations: [],
    };
    expect(() => renderBundle({ files: files({}), bundlePath: 'app/../../x', options })).toThrow(
      expect.objectContaining({
        code: 'PathEscapes',
        message: 'bundle path "app/../../x" leaves the repository',
      }),
    );
  });
});
