import { createBareRepo, type BareRepo } from '@flotilla/testkit';

/*
 * The Git side of the bench: a bare repository (file:// URL) with M bundle folders under
 * bundles/, each a small ConfigMap and a Deployment in a namespace of its own, so that Ready
 * needs kube-sim's Deployment controller to report the new template available.
 */

export function bundleName(index: number): string {
  return `b${String(index + 1).padStart(2, '0')}`;
}

export function bundleFiles(
  index: number,
  version: string,
  extraOptions = '',
): Record<string, string> {
  const name = bundleName(index);
  return {
    [`bundles/${name}/flotilla.yaml`]: `defaultNamespace: bench-${name}\n${extraOptions}`,
    [`bundles/${name}/configmap.yaml`]: [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: settings',
      'data:',
      `  bundle: ${name}`,
      `  version: "${version}"`,
      '',
    ].join('\n'),
    [`bundles/${name}/deployment.yaml`]: [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: app',
      'spec:',
      '  replicas: 1',
      '  selector:',
      '    matchLabels:',
      `      app: ${name}`,
      '  template:',
      '    metadata:',
      '      labels:',
      `        app: ${name}`,
      '      annotations:',
      `        bench.flotilla.dev/version: "${version}"`,
      '    spec:',
      '      containers:',
      '        - name: app',
      '          image: nginx:1.25',
      '          ports:',
      '            - containerPort: 80',
      '',
    ].join('\n'),
  };
}

export interface BenchRepo {
  url: string;
  head: () => Promise<string>;
  /**
   * Commits a new version of some bundles (all when `indexes` is omitted), with `extraOptions`
   * appended to their flotilla.yaml; returns the sha.
   */
  changeBundles: (
    version: string,
    indexes?: readonly number[],
    extraOptions?: string,
  ) => Promise<string>;
  /** A commit that changes no bundle (a README outside every bundle path). */
  touchReadme: (text: string) => Promise<string>;
  remove: () => Promise<void>;
}

export async function createBenchRepo(bundles: number): Promise<BenchRepo> {
  const all = Array.from({ length: bundles }, (_, index) => index);
  const filesOf = (version: string, indexes: readonly number[], extraOptions = '') =>
    Object.assign(
      {},
      ...indexes.map((index) => bundleFiles(index, version, extraOptions)),
    ) as Record<string, string>;
  const repo: BareRepo = await createBareRepo({
    'README.md': 'bench fleet\n',
    ...filesOf('v1', all),
  });
  return {
    url: repo.url,
    head: () => repo.head(),
    changeBundles: (version, indexes = all, extraOptions = '') =>
      repo.commit(filesOf(version, indexes, extraOptions), { message: `bundles at ${version}` }),
    touchReadme: (text) => repo.commit({ 'README.md': `${text}\n` }, { message: text }),
    remove: () => repo.remove(),
  };
}
