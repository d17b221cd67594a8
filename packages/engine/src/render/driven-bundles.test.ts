import { describe, expect, it } from 'vitest';
import { loadBundleOptions } from '../options/index.ts';
import { firstMatchingTarget } from '../targeting/index.ts';
import type { KubeObject } from '../types.ts';
import { drivenBundles } from './driven-bundles.ts';
import { renderBundle } from './render-bundle.ts';

/**
 * A repository laid out for Fleet's driven scan (GitRepo `bundles:`), as Fleet's own test data
 * does it: one folder, one options file per environment (none called fleet.yaml), and a
 * .fleetignore that keeps them out of the deployed files.
 */
const files = new Map(
  Object.entries({
    'app/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec: { replicas: 1 }
`,
    'app/dev.yaml': 'namespace: web-dev\nlabels: { env: dev }\n',
    'app/prod.yaml': `namespace: web-prod
targetCustomizations:
  - name: big
    clusterSelector: { matchLabels: { size: big } }
    yaml: { overlays: [big] }
`,
    'app/overlays/big/deployment_patch.yaml': 'spec: { replicas: 5 }\n',
    // As in Fleet, the other bundles' options files are resources unless ignored.
    'app/.fleetignore': 'notes.yaml\ndev.yaml\nprod.yaml\n',
    'app/notes.yaml': 'not: a kubernetes object\n',
    'plain/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: plain }\n',
    'solo/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: solo }\n',
    'solo/options.yaml': 'namespace: solo\n',
  }),
);

function render(bundle: { path: string; optionsFile?: string }, labels: Record<string, string>) {
  const options = loadBundleOptions(files, bundle.path, undefined, bundle.optionsFile);
  const cluster = { id: 'c', name: 'c', labels };
  const match = firstMatchingTarget(options.targetCustomizations, cluster, []);
  return renderBundle({ files, bundlePath: bundle.path, options, customization: match?.target });
}

const summary = (objects: KubeObject[]) =>
  objects.map((o) => [
    `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`,
    (o as { spec?: { replicas?: number } }).spec?.replicas,
  ]);

describe("Fleet's driven scan (GitRepo bundles:)", () => {
  const bundles = drivenBundles(files, [
    { base: 'app', options: 'dev.yaml' },
    { base: 'app', options: 'prod.yaml' },
    { base: 'plain' },
    { base: 'solo', options: 'options.yaml' },
  ]);

  it('makes one bundle per entry, named after the base and the options file', () => {
    expect(bundles).toEqual([
      { path: 'app', name: 'app-dev', optionsFile: 'dev.yaml' },
      { path: 'app', name: 'app-prod', optionsFile: 'prod.yaml' },
      { path: 'plain', name: 'plain' },
      { path: 'solo', name: 'solo-options', optionsFile: 'options.yaml' },
    ]);
  });

  it('reads each bundle with its own options file, which is not deployed', () => {
    const [dev, prod, plain, solo] = bundles;
    expect(summary(render(dev!, {}).objects)).toEqual([['Deployment/web-dev/web', 1]]);
    expect(loadBundleOptions(files, 'app', undefined, 'dev.yaml').labels).toEqual({ env: 'dev' });
    expect(summary(render(prod!, {}).objects)).toEqual([['Deployment/web-prod/web', 1]]);
    expect(summary(render(prod!, { size: 'big' }).objects)).toEqual([
      ['Deployment/web-prod/web', 5],
    ]);
    expect(summary(render(plain!, {}).objects)).toEqual([['ConfigMap/default/plain', undefined]]);
    // No .fleetignore there: the options file is left out because it is the bundle's own.
    expect(summary(render(solo!, {}).objects)).toEqual([['ConfigMap/solo/solo', undefined]]);
  });

  it.each([
    [[{ base: 'missing' }], 'OptionsInvalid', 'bundles[0].base: "missing" is not a folder'],
    [[{ base: '../up' }], 'PathEscapes', 'bundles[0].base "../up" leaves the repository'],
    [
      [
        { base: 'app', options: 'dev.yaml' },
        { base: 'app', options: 'dev.yml' },
      ],
      'OptionsInvalid',
      'bundles[1]: names bundle "app-dev", as bundles[0] does',
    ],
  ])('refuses %j', (entries, code, message) => {
    expect(() => drivenBundles(files, entries)).toThrow(
      expect.objectContaining({ code, message: expect.stringContaining(message) }),
    );
  });

  it('refuses an options file that does not exist, naming it', () => {
    expect(() => loadBundleOptions(files, 'app', undefined, 'staging.yaml')).toThrow(
      expect.objectContaining({
        code: 'OptionsInvalid',
        message: 'app/staging.yaml: the options file "staging.yaml" of bundle "app" does not exist',
      }),
    );
  });
});
