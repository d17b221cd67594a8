import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { loadChartFiles, type Chart } from '@flotilla/helm';
import { parse, parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadBundleOptions } from '../options/index.ts';
import { firstMatchingTarget } from '../targeting/index.ts';
import type { KubeObject, RepoFiles } from '../types.ts';
import { discoverBundles } from './discover-bundles.ts';
import { bundleChartSource, loadBundleChart, renderBundle } from './render-bundle.ts';
import { chartKeyOf } from './render-helm.ts';

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
// What Helm and Fleet's agent add on install (the guestbook chart itself sets none of them).
const RELEASE_METADATA = /^(helm\.sh\/chart|meta\.helm\.sh\/|app\.kubernetes\.io\/managed-by$)/;

function withoutBookkeeping(object: KubeObject): KubeObject {
  const metadata: Record<string, unknown> = { ...object.metadata };
  for (const field of ['labels', 'annotations'] as const) {
    const entries = Object.entries(object.metadata[field] ?? {}).filter(
      ([key]) => !BOOKKEEPING.test(key) && !RELEASE_METADATA.test(key),
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

/**
 * The chart Fleet downloaded for a bundle whose helm.chart is a URL, as `fleet apply` recorded it
 * in the Bundle's resources (`.chart/<checksum>/<chart>/...`): we have no network here, so the
 * test plays the caller that fetched it.
 */
async function downloadedChart(bundle: string): Promise<Chart> {
  const text = readFileSync(join(EXAMPLES, 'tests/expected', bundle, 'bundle.yaml'), 'utf8');
  const { spec } = parse(text) as { spec: { resources: { name: string; content: string }[] } };
  const chartFiles = spec.resources
    .filter((resource) => resource.name.startsWith('.chart/'))
    .map((resource) => ({
      name: resource.name.split('/').slice(3).join('/'),
      data: Buffer.from(resource.content),
    }));
  return loadChartFiles(chartFiles);
}

const files = readRepo(EXAMPLES);
const BUNDLES = [
  'single-cluster/manifests',
  'single-cluster/kustomize',
  'multi-cluster/manifests',
  'multi-cluster/kustomize',
];
const HELM_BUNDLES = [
  'single-cluster/helm',
  'single-cluster/helm-kustomize',
  'single-cluster/helm-multi-chart',
  'multi-cluster/helm',
  'multi-cluster/helm-external',
  'multi-cluster/helm-kustomize',
];
const CASES = [...BUNDLES, ...HELM_BUNDLES].flatMap((bundle) =>
  ['dev', 'test', 'prod'].map((env) => ({ bundle, env })),
);

describe('the Fleet examples render as Fleet renders them', () => {
  it.each(CASES)('$bundle for a cluster labelled env=$env', async ({ bundle, env }) => {
    const options = loadBundleOptions(files, bundle);
    const cluster = { id: env, name: `${env}-cluster`, labels: { env } };
    const match = firstMatchingTarget(options.targetCustomizations, cluster, []);
    const source = bundleChartSource({
      files,
      bundlePath: bundle,
      options,
      customization: match?.target,
    });
    const charts =
      source?.kind === 'external'
        ? new Map([[chartKeyOf(source.request), await downloadedChart(bundle)]])
        : undefined;
    const chart = await loadBundleChart({
      files,
      bundlePath: bundle,
      options,
      customization: match?.target,
      charts,
    });

    const { objects } = renderBundle({
      files,
      bundlePath: bundle,
      options,
      customization: match?.target,
      chart,
    });

    const expected = byIdentity(expectedObjects(bundle, env));
    const actual = byIdentity(objects);
    expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [key, object] of expected) expect(actual.get(key), key).toEqual(object);
  });

  it.each<{ labels: Record<string, string>; tag: string }>([
    { labels: { env: 'dev' }, tag: 'ltsc2022' },
    { labels: { env: 'prod' }, tag: 'ltsc2022' },
    { labels: { 'windows.version': 'win2019' }, tag: 'ltsc2019' },
    // `tag: 2004` is a number in YAML: Helm prints it as Go prints a float64, "2004".
    { labels: { 'windows.version': 'win2004' }, tag: '2004' },
  ])('multi-cluster/windows-helm for a cluster labelled $labels', async ({ labels, tag }) => {
    const bundle = 'multi-cluster/windows-helm';
    const options = loadBundleOptions(files, bundle);
    const match = firstMatchingTarget(
      options.targetCustomizations,
      { id: 'c', name: 'c', labels },
      [],
    );
    const input = { files, bundlePath: bundle, options, customization: match?.target };
    const { objects } = renderBundle({ ...input, chart: await loadBundleChart(input) });

    expect(objects.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      'Service/fleet-helm-windows-example/win-webserver',
      'Deployment/fleet-helm-windows-example/win-webserver',
    ]);
    const deployment = objects[1] as unknown as {
      spec: { template: { spec: { containers: { image: string; command: string[] }[] } } };
    };
    const [container] = deployment.spec.template.spec.containers;
    expect(container?.image).toBe(`mcr.microsoft.com/windows/servercore:${tag}`);
    expect(container?.command[2]).toContain('$$listener = New-Object');
  });

  it('renders helm-multi-chart/guestbook (a chart folder of its own) like single-cluster/helm', async () => {
    const bundle = 'single-cluster/helm-multi-chart/guestbook';
    const options = loadBundleOptions(files, bundle);
    const input = { files, bundlePath: bundle, options };
    const { objects } = renderBundle({ ...input, chart: await loadBundleChart(input) });

    const expected = expectedObjects('single-cluster/helm', 'dev').map((object) => ({
      ...object,
      metadata: { ...object.metadata, namespace: 'fleet-multi-chart-helm-example' },
    }));
    expect(byIdentity(objects)).toEqual(byIdentity(expected));
  });

  it('names the chart a helm-multi-chart bundle needs from a Helm repository', () => {
    const bundle = 'single-cluster/helm-multi-chart/rancher-monitoring';
    const options = loadBundleOptions(files, bundle);
    expect(bundleChartSource({ files, bundlePath: bundle, options })).toEqual({
      kind: 'external',
      request: {
        repo: 'https://charts.rancher.io',
        chart: 'rancher-monitoring',
        version: '104.1.0+up57.0.3',
        isInRepository: false,
      },
    });
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
