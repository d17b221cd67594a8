import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadBundleOptions } from '../options/index.ts';
import { firstMatchingTarget } from '../targeting/index.ts';
import type { KubeObject, RepoFiles } from '../types.ts';
import { discoverBundles } from './discover-bundles.ts';
import { renderBundle } from './render-bundle.ts';

/**
 * Fleet's own examples with what `fleet test -l env=<env>` renders for them: the reference our
 * renderer must reproduce, apart from Fleet's objectset bookkeeping metadata.
 */
// Rancher's examples live in the workplace's shared folder next to the checkout.
const EXAMPLES = resolve(
  process.env.FLOTILLA_SHARED_DIR ?? resolve(import.meta.dirname, '../../../../../shared'),
  'fixtures/fleet-examples',
);

function readRepo(root: string): RepoFiles {
  const files = new Map<string, string>();
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) files.set(relative(root, path), readFileSync(path, 'utf8'));
    }
  };
  walk(root);
  return files;
}

const BOOKKEEPING = /^objectset\.rio\.cattle\.io\//;

function withoutBookkeeping(object: KubeObject): KubeObject {
  const metadata: Record<string, unknown> = { ...object.metadata };
  for (const field of ['labels', 'annotations'] as const) {
    const entries = Object.entries(object.metadata[field] ?? {}).filter(
      ([key]) => !BOOKKEEPING.test(key),
    );
    if (entries.length === 0) delete metadata[field];
    else metadata[field] = Object.fromEntries(entries);
  }
  return { ...object, metadata } as unknown as KubeObject;
}

function byIdentity(objects: readonly KubeObject[]): Map<string, KubeObject> {
  const keyed = new Map<string, KubeObject>();
  for (const object of objects) {
    const { apiVersion, kind, metadata } = object;
    keyed.set(`${apiVersion}/${kind}/${metadata.namespace ?? ''}/${metadata.name}`, object);
  }
  return keyed;
}

function expectedObjects(bundle: string, env: string): KubeObject[] {
  const text = readFileSync(join(EXAMPLES, 'tests/expected', bundle, `${env}-output.yaml`), 'utf8');
  return parseAllDocuments(text)
    .map((document) => document.toJS() as KubeObject | null)
    .filter((object): object is KubeObject => object !== null)
    .map(withoutBookkeeping);
}

const files = readRepo(EXAMPLES);
const BUNDLES = [
  'single-cluster/manifests',
  'single-cluster/kustomize',
  'multi-cluster/manifests',
  'multi-cluster/kustomize',
];
const CASES = BUNDLES.flatMap((bundle) => ['dev', 'test', 'prod'].map((env) => ({ bundle, env })));

describe('the Fleet examples render as Fleet renders them', () => {
  it.each(CASES)('$bundle for a cluster labelled env=$env', ({ bundle, env }) => {
    const options = loadBundleOptions(files, bundle);
    const cluster = { id: env, name: `${env}-cluster`, labels: { env } };
    const match = firstMatchingTarget(options.targetCustomizations, cluster, []);

    const { objects } = renderBundle({
      files,
      bundlePath: bundle,
      options,
      customization: match?.target,
    });

    const expected = byIdentity(expectedObjects(bundle, env));
    const actual = byIdentity(objects);
    expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [key, object] of expected) expect(actual.get(key), key).toEqual(object);
  });

  it('picks a different customization per environment for the multi-cluster examples', () => {
    const options = loadBundleOptions(files, 'multi-cluster/manifests');
    const names = ['dev', 'test', 'prod'].map(
      (env) =>
        firstMatchingTarget(
          options.targetCustomizations,
          { id: env, name: env, labels: { env } },
          [],
        )?.target.name,
    );
    expect(names).toEqual(['dev', 'test', 'prod']);
  });

  it('finds every example folder with a fleet.yaml as a bundle, named as Fleet names it', () => {
    const bundles = discoverBundles(files, ['single-cluster/*', 'multi-cluster/*']);
    expect(bundles).toContainEqual({
      path: 'multi-cluster/manifests',
      name: 'multi-cluster-manifests',
    });
    expect(bundles).toContainEqual({
      path: 'single-cluster/multi-gitrepo/frontend',
      name: 'single-cluster-multi-gitrepo-frontend',
    });
    // Its gitrepos/ folder holds manifests no fleet.yaml claims, so Fleet makes it a bundle too.
    expect(bundles.map((bundle) => bundle.path)).toContain('single-cluster/multi-gitrepo');
  });
});
