import { describe, expect, it } from 'vitest';
import type { TargetCustomization } from '../options/index.ts';
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

describe('yaml.overlays', () => {
  const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 1
  template:
    spec:
      containers:
        - { name: web, image: web:v1 }
        - { name: sidecar, image: proxy:v1 }
`;
  const widget = `apiVersion: example.com/v1
kind: Widget
metadata: { name: w }
spec: { parts: [a, b], size: 1 }
`;
  const base = {
    'app/deploy.yaml': deployment,
    'app/widget.yaml': widget,
    'app/cm.yaml': configMap('cm', 'data: { a: "1" }\n'),
  };
  const find = (objects: KubeObject[], kind: string) =>
    objects.find((object) => object.kind === kind);

  it('patches a built-in kind with a strategic merge patch (containers merge by name)', () => {
    const { objects } = render(
      {
        ...base,
        'app/overlays/v2/deploy_patch.yaml':
          'spec:\n  template:\n    spec:\n      containers: [{ name: web, image: web:v2 }]',
      },
      { yaml: { overlays: ['v2'] } },
    );
    expect(find(objects, 'Deployment')?.spec).toMatchObject({
      template: {
        spec: {
          containers: [
            { name: 'web', image: 'web:v2' },
            { name: 'sidecar', image: 'proxy:v1' },
          ],
        },
      },
    });
  });

  it('patches a custom kind with a JSON merge patch (lists are replaced)', () => {
    const { objects } = render(
      { ...base, 'app/overlays/big/widget_patch.yaml': 'spec: { parts: [c], size: null }' },
      { yaml: { overlays: ['big'] } },
    );
    expect(find(objects, 'Widget')?.spec).toEqual({ parts: ['c'] });
  });

  it('applies a patch that is a list as a JSON patch, in a .json file too', () => {
    const { objects } = render(
      {
        ...base,
        'app/svc.json':
          '{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "svc"}, "spec": {"type": "ClusterIP"}}',
        'app/overlays/lb/svc_patch.json':
          '[{"op": "replace", "path": "/spec/type", "value": "LoadBalancer"}]',
        'app/overlays/lb/deploy_patch.yaml': '- { op: replace, path: /spec/replicas, value: 5 }',
      },
      { yaml: { overlays: ['lb'] } },
    );
    expect(find(objects, 'Service')?.spec).toEqual({ type: 'LoadBalancer' });
    expect(find(objects, 'Deployment')?.spec).toMatchObject({ replicas: 5 });
  });

  it('replaces and adds files, an empty file removing the objects of the one it replaces', () => {
    const { objects } = render(
      {
        ...base,
        'app/overlays/slim/widget.yaml': '',
        'app/overlays/slim/cm.yaml': configMap('cm', 'data: { a: "2" }\n'),
        'app/overlays/slim/extra/new.yaml': configMap('added'),
      },
      { yaml: { overlays: ['slim'] } },
    );
    expect(ids(objects)).toEqual([
      'ConfigMap/default/cm',
      'Deployment/default/web',
      'ConfigMap/default/added',
    ]);
    expect(find(objects, 'ConfigMap')?.data).toEqual({ a: '2' });
  });

  it('applies overlays in the listed order, the bundle ones before the customization ones', () => {
    const entries = {
      ...base,
      'app/fleet.yaml': 'yaml: { overlays: [three] }',
      'app/overlays/three/deploy_patch.yaml': 'spec: { replicas: 3 }',
      'app/overlays/five/deploy_patch.yaml': 'spec: { replicas: 5 }',
    };
    expect(
      find(render(entries, { yaml: { overlays: ['five'] } }).objects, 'Deployment')?.spec,
    ).toMatchObject({ replicas: 5 });
    const swapped = { ...entries, 'app/fleet.yaml': 'yaml: { overlays: [five] }' };
    expect(
      find(render(swapped, { yaml: { overlays: ['three'] } }).objects, 'Deployment')?.spec,
    ).toMatchObject({ replicas: 3 });
  });

  it('lets a later overlay patch a file an earlier overlay added', () => {
    const { objects } = render(
      {
        ...base,
        'app/overlays/add/new.yaml': configMap('new', 'data: { a: "1" }\n'),
        'app/overlays/tune/new_patch.yaml': 'data: { a: "2" }',
      },
      { yaml: { overlays: ['add', 'tune'] } },
    );
    expect(objects.find((object) => object.metadata.name === 'new')?.data).toEqual({ a: '2' });
  });

  it('replaces before it patches within one overlay', () => {
    const { objects } = render(
      {
        ...base,
        'app/overlays/o/cm_patch.yaml': 'data: { b: "patched" }',
        'app/overlays/o/cm.yaml': configMap('cm', 'data: { a: "replaced" }\n'),
      },
      { yaml: { overlays: ['o'] } },
    );
    expect(find(objects, 'ConfigMap')?.data).toEqual({ a: 'replaced', b: 'patched' });
  });

  it('removes an object whose strategic merge patch says $patch: delete', () => {
    const { objects } = render(
      { ...base, 'app/overlays/o/cm_patch.yaml': '$patch: delete' },
      { yaml: { overlays: ['o'] } },
    );
    expect(find(objects, 'ConfigMap')).toBeUndefined();
  });

  it('patches the first document of a file with several, and drops the others, as Fleet does', () => {
    // Fleet reads a patched file with go-yaml's Unmarshal (first document only) and writes the
    // patched object back as the whole file.
    const { objects } = render(
      {
        ...base,
        'app/two.yaml': `${configMap('x')}---\n${configMap('y')}`,
        'app/overlays/o/two_patch.yaml':
          'data: { patched: "yes" }\n---\ndata: { ignored: "yes" }\n',
      },
      { yaml: { overlays: ['o'] } },
    );
    const configMaps = objects.filter((object) => object.kind === 'ConfigMap');
    expect(configMaps.map((object) => [object.metadata.name, object.data])).toEqual([
      ['cm', { a: '1' }],
      ['x', { patched: 'yes' }],
    ]);
  });

  it.each<[string, Record<string, string>, string, string]>([
    [
      'a patch without a target',
      { 'app/overlays/o/gone_patch.yaml': 'a: 1' },
      'OverlayFailed',
      'app/overlays/o/gone_patch.yaml: there is no file app/gone.yaml to patch',
    ],
    [
      'a failing JSON patch operation',
      { 'app/overlays/o/cm_patch.yaml': '[{ op: remove, path: /data/missing }]' },
      'OverlayFailed',
      'app/overlays/o/cm_patch.yaml: cannot patch app/cm.yaml: JSON patch: operation 0 (remove /data/missing) failed: path does not exist',
    ],
    [
      'a patch that is broken YAML',
      { 'app/overlays/o/cm_patch.yaml': 'data: [' },
      'YamlInvalid',
      'app/overlays/o/cm_patch.yaml: document 1',
    ],
  ])('refuses %s', (_case, extra, code, message) => {
    expect(() => render({ ...base, ...extra }, { yaml: { overlays: ['o'] } })).toThrow(
      expect.objectContaining({ code, message: expect.stringContaining(message) }),
    );
  });

  it('refuses an overlay name that climbs out of overlays/', () => {
    expect(() => render(base, { yaml: { overlays: ['../../etc'] } })).toThrow(
      expect.objectContaining({ code: 'PathEscapes' }),
    );
  });
});
