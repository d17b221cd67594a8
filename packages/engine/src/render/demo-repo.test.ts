import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBundleOptions } from '../options/index.ts';
import { firstMatchingTarget } from '../targeting/index.ts';
import type { KubeObject, RepoFiles } from '../types.ts';
import { discoverBundles } from './discover-bundles.ts';
import { loadBundleChart, renderBundle } from './render-bundle.ts';

/**
 * The demo repository (`FLOTILLA_DEMO=1 npm start` without ../shared) is a new user's first
 * screen: every bundle must render for every demo cluster, with the objects it means to deploy.
 */
const DEMO_REPO = resolve(import.meta.dirname, '../../../../demo/repo');

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

const files = readRepo(DEMO_REPO);

function inputFor(bundle: string, env: string) {
  const options = loadBundleOptions(files, bundle);
  const cluster = {
    id: env,
    name: `eu-west-${env}`,
    labels: { env, region: 'eu-west', demo: 'true' },
  };
  const match = firstMatchingTarget(options.targetCustomizations, cluster, []);
  return { files, bundlePath: bundle, options, customization: match?.target };
}

function render(bundle: string, env: string): KubeObject[] {
  return renderBundle(inputFor(bundle, env)).objects;
}

const ids = (objects: KubeObject[]) =>
  objects.map(({ kind, metadata }) => `${kind}/${metadata.namespace ?? ''}/${metadata.name}`);

describe('the demo repository', () => {
  it('holds the three bundles the demo targets', () => {
    expect(
      discoverBundles(files, ['guestbook', 'settings', 'hello']).map((bundle) => bundle.path),
    ).toEqual(['guestbook', 'hello', 'settings']);
  });

  // The demo's Helm bundle: a chart folder of the repository, values per env.
  it.each(['dev', 'test', 'prod'])('renders the hello chart for env=%s', async (env) => {
    const input = inputFor('hello', env);
    const chart = await loadBundleChart(input);
    const { objects, helm } = renderBundle({ ...input, chart });
    expect(ids(objects).sort()).toEqual([
      'ConfigMap/hello/hello-greeting',
      'Deployment/hello/hello',
      'Secret/hello/hello-session',
      'Service/hello/hello',
    ]);
    const byKind = (kind: string) => objects.find((object) => object.kind === kind) as unknown;
    expect((byKind('Deployment') as { spec: { replicas: number } }).spec.replicas).toBe(
      env === 'prod' ? 2 : 1,
    );
    expect((byKind('ConfigMap') as { data: object }).data).toEqual({
      greeting: env === 'prod' ? 'Hello from production' : 'Hello from Flotilla',
    });
    expect(helm?.chart).toEqual({
      name: 'hello',
      version: '0.3.0',
      appVersion: '1.27',
      origin: { kind: 'folder', path: 'hello/chart' },
    });
  });

  it.each(['dev', 'test', 'prod'])('renders guestbook whole for env=%s', (env) => {
    const objects = render('guestbook', env);
    expect(ids(objects).sort()).toEqual([
      'Deployment/guestbook/frontend',
      'Deployment/guestbook/redis',
      'Service/guestbook/frontend',
      'Service/guestbook/redis',
    ]);
    const frontend = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'frontend');
    expect((frontend as { spec?: { replicas?: number } }).spec?.replicas).toBe(
      env === 'prod' ? 3 : 1,
    );
  });

  // The generated name's hash is what `kubectl kustomize demo/repo/settings/base` prints.
  it.each(['dev', 'test', 'prod'])('renders settings for env=%s', (env) => {
    const objects = render('settings', env);
    expect(ids(objects).sort()).toEqual([
      'ConfigMap/settings/feature-flags-64gfg8tg7t',
      'ConfigMap/settings/settings',
    ]);
    const settings = objects.find((o) => o.metadata.name === 'settings') as { data?: object };
    expect(settings.data).toEqual({ logLevel: env === 'prod' ? 'warn' : 'debug' });
  });
});
