import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse, parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * `flotilla render` against Rancher's fleet-examples (../shared/fixtures/fleet-examples): each
 * example folder, rendered by the real CLI for a cluster labelled env=<env>, gives the objects
 * `fleet test -l env=<env>` printed (tests/expected), Fleet's bookkeeping metadata and Helm's
 * release labels aside.
 */
const execFileAsync = promisify(execFile);
const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');
const CLI = path.join(REPO_ROOT, 'apps/cli/bin/flotilla.mjs');
// CI sets FLOTILLA_SHARED_DIR; a missing folder fails the test (readFileSync throws), never skips.
const EXAMPLES = path.resolve(
  process.env.FLOTILLA_SHARED_DIR ?? path.resolve(REPO_ROOT, '../shared'),
  'fixtures/fleet-examples',
);

interface Output {
  code: number;
  stdout: string;
  stderr: string;
}

async function render(args: string[]): Promise<Output> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [CLI, 'render', ...args], {
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

type KubeObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string } & Record<string, unknown>;
};

const BOOKKEEPING = /^objectset\.rio\.cattle\.io\//;
// What Helm and Fleet's agent add on install (the guestbook chart itself sets none of them).
const RELEASE_METADATA = /^(helm\.sh\/chart|meta\.helm\.sh\/|app\.kubernetes\.io\/managed-by$)/;

function byIdentity(text: string): Map<string, KubeObject> {
  const keyed = new Map<string, KubeObject>();
  for (const document of parseAllDocuments(text)) {
    const object = document.toJS() as KubeObject | null;
    if (object === null) continue;
    const metadata: Record<string, unknown> = { ...object.metadata };
    for (const field of ['labels', 'annotations']) {
      const entries = Object.entries((metadata[field] ?? {}) as Record<string, string>).filter(
        ([key]) => !BOOKKEEPING.test(key) && !RELEASE_METADATA.test(key),
      );
      if (entries.length === 0) delete metadata[field];
      else metadata[field] = Object.fromEntries(entries);
    }
    const { apiVersion, kind } = object;
    keyed.set(`${apiVersion}/${kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`, {
      ...object,
      metadata: metadata as KubeObject['metadata'],
    });
  }
  return keyed;
}

function expectSameObjects(actual: string, expectedFile: string): void {
  const expected = byIdentity(readFileSync(expectedFile, 'utf8'));
  const got = byIdentity(actual);
  expect([...got.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [key, object] of expected) expect(got.get(key), key).toEqual(object);
}

const LOCAL = [
  'single-cluster/manifests',
  'single-cluster/kustomize',
  'single-cluster/helm',
  'single-cluster/helm-multi-chart',
  'multi-cluster/manifests',
  'multi-cluster/kustomize',
  'multi-cluster/helm',
];
// Their fleet.yaml names a chart on github.com: the test serves that archive on loopback.
const EXTERNAL = [
  'single-cluster/helm-kustomize',
  'multi-cluster/helm-external',
  'multi-cluster/helm-kustomize',
];
const ENVS = ['dev', 'test', 'prod'];

describe('flotilla render prints what fleet test prints for the fleet-examples', () => {
  let server: Server;
  let work: string;

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'flotilla-render-'));
    // The chart as `fleet apply` downloaded it, recorded in the Bundle's resources.
    const bundle = parse(
      readFileSync(
        path.join(EXAMPLES, 'tests/expected', 'multi-cluster/helm-external', 'bundle.yaml'),
        'utf8',
      ),
    ) as { spec: { resources: { name: string; content: string }[] } };
    const chartRoot = path.join(work, 'chart');
    for (const resource of bundle.spec.resources.filter((r) => r.name.startsWith('.chart/'))) {
      const file = path.join(chartRoot, ...resource.name.split('/').slice(2));
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, resource.content);
    }
    await execFileAsync('tar', [
      '-czf',
      path.join(work, 'guestbook-0.0.1.tgz'),
      '-C',
      chartRoot,
      'guestbook',
    ]);
    const archive = readFileSync(path.join(work, 'guestbook-0.0.1.tgz'));
    server = createServer((request, response) => {
      if (request.url !== '/guestbook-0.0.1.tgz') response.writeHead(404).end();
      else response.writeHead(200, { 'content-type': 'application/gzip' }).end(archive);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    for (const example of EXTERNAL) {
      const copy = path.join(work, example);
      cpSync(path.join(EXAMPLES, example), copy, { recursive: true });
      const fleetYaml = path.join(copy, 'fleet.yaml');
      writeFileSync(
        fleetYaml,
        readFileSync(fleetYaml, 'utf8').replace(
          /https:\/\/github\.com\/\S+\/guestbook-0\.0\.1\.tgz/,
          `http://127.0.0.1:${port}/guestbook-0.0.1.tgz`,
        ),
      );
    }
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it.each(LOCAL.flatMap((example) => ENVS.map((env) => ({ example, env }))))(
    '$example for env=$env',
    async ({ example, env }) => {
      const output = await render([path.join(EXAMPLES, example), '--label', `env=${env}`]);
      expect(output.stderr).toBe('');
      expect(output.code).toBe(0);
      expectSameObjects(
        output.stdout,
        path.join(EXAMPLES, 'tests/expected', example, `${env}-output.yaml`),
      );
    },
  );

  it.each(EXTERNAL.flatMap((example) => ENVS.map((env) => ({ example, env }))))(
    '$example (chart fetched over HTTP) for env=$env',
    async ({ example, env }) => {
      const output = await render([
        path.join(work, example),
        '-l',
        `env=${env}`,
        '--chart-cache-dir',
        path.join(work, 'cache'),
      ]);
      expect(output.stderr).toBe('');
      expect(output.code).toBe(0);
      expectSameObjects(
        output.stdout,
        path.join(EXAMPLES, 'tests/expected', example, `${env}-output.yaml`),
      );
    },
  );

  it('matches a customization by cluster name and by cluster group', async () => {
    const folder = path.join(work, 'by-name');
    mkdirSync(folder, { recursive: true });
    writeFileSync(
      path.join(folder, 'cm.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  tier: base\n',
    );
    mkdirSync(path.join(folder, 'overlays/edge'), { recursive: true });
    writeFileSync(
      path.join(folder, 'fleet.yaml'),
      [
        'defaultNamespace: apps',
        'targetCustomizations:',
        '- name: edge',
        '  clusterName: edge-1',
        '  yaml:',
        '    overlays: [edge]',
        '- name: gpu',
        '  clusterGroup: gpus',
        '  namespace: gpu-apps',
        '- name: skip',
        '  clusterSelector: {matchLabels: {retired: "true"}}',
        '  doNotDeploy: true',
        '',
      ].join('\n'),
    );
    writeFileSync(path.join(folder, 'overlays/edge/cm_patch.yaml'), 'data:\n  tier: edge\n');

    const edge = await render([folder, '--cluster-name', 'edge-1']);
    expect(edge.code).toBe(0);
    expect(parse(edge.stdout)).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings', namespace: 'apps' },
      data: { tier: 'edge' },
    });
    const gpu = await render([folder, '--group', 'gpus']);
    expect(parse(gpu.stdout)).toMatchObject({
      metadata: { namespace: 'gpu-apps' },
      data: { tier: 'base' },
    });
    const retired = await render([folder, '-l', 'retired=true']);
    expect(retired).toMatchObject({ code: 0, stdout: '' });
  });

  it('reads the options file a GitRepo bundles: entry would name (--options)', async () => {
    const folder = path.join(work, 'driven');
    mkdirSync(folder, { recursive: true });
    writeFileSync(
      path.join(folder, 'cm.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n',
    );
    writeFileSync(path.join(folder, 'dev.yaml'), 'namespace: dev-apps\n');
    writeFileSync(path.join(folder, '.fleetignore'), 'dev.yaml\n');

    const output = await render([folder, '--options', 'dev.yaml']);
    expect(output.code).toBe(0);
    expect(parse(output.stdout)).toMatchObject({ metadata: { namespace: 'dev-apps' } });
  });

  it('fetches a remote kustomize base and component (file:// when allowed) as kubectl kustomize does', async () => {
    // The engine's remote-base case, whose output real kubectl kustomize recorded.
    const kase = path.join(REPO_ROOT, 'packages/engine/test/kustomize/remote-cases/git-base');
    const source = path.join(work, 'remote-src');
    cpSync(path.join(kase, 'remote'), source, { recursive: true });
    const git = (...args: string[]) =>
      execFileAsync('git', ['-c', 'user.name=t', '-c', 'user.email=t@flotilla.invalid', ...args], {
        cwd: source,
      });
    await git('init', '-q', '-b', 'main');
    await git('add', '.');
    await git('commit', '-qm', 'v1');
    await git('tag', 'v1');
    const bare = path.join(work, 'remote.git');
    await execFileAsync('git', ['clone', '-q', '--bare', source, bare]);
    const folder = path.join(work, 'remote-bundle');
    cpSync(path.join(kase, 'local'), folder, { recursive: true });
    const kustomization = path.join(folder, 'kustomization.yaml');
    writeFileSync(
      kustomization,
      readFileSync(kustomization, 'utf8').replaceAll('REMOTE', `file://${bare}`),
    );
    const gitCache = ['--git-cache-dir', path.join(work, 'git-cache')];

    const output = await render([folder, ...gitCache, '--allow-file-urls']);
    expect(output.stderr).toBe('');
    expect(output.code).toBe(0);
    expect(parseAllDocuments(output.stdout).map((d) => d.toJS() as unknown)).toEqual(
      parseAllDocuments(
        readFileSync(
          path.join(REPO_ROOT, 'packages/engine/test/kustomize/golden/remote-git-base.yaml'),
          'utf8',
        ),
      ).map((d) => d.toJS() as unknown),
    );

    const refused = await render([folder, ...gitCache]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `Error: kustomization.yaml: remote base "file://${bare}//base?ref=v1" cannot be fetched: `,
    );
  });

  it('inflates kustomize helmCharts as kubectl kustomize --enable-helm does', async () => {
    const output = await render([
      path.join(REPO_ROOT, 'packages/engine/test/kustomize/helm-cases/inflate'),
    ]);
    expect(output.stderr).toBe('');
    expect(output.code).toBe(0);
    const golden = parseAllDocuments(
      readFileSync(
        path.join(REPO_ROOT, 'packages/engine/test/kustomize/golden/helm-inflate.yaml'),
        'utf8',
      ),
    ).map((d) => d.toJS() as KubeObject);
    // As Fleet does, a bundle's namespaced objects without a namespace go to "default".
    const expected = golden.map((object) =>
      object.kind === 'CustomResourceDefinition'
        ? object
        : { ...object, metadata: { ...object.metadata, namespace: 'default' } },
    );
    expect(parseAllDocuments(output.stdout).map((d) => d.toJS() as unknown)).toEqual(expected);
  });

  it('fails with exit code 1 and a message naming the file', async () => {
    const folder = path.join(work, 'broken');
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, 'kustomization.yaml'), 'resources:\n  - missing.yaml\n');

    const output = await render([folder]);
    expect(output.code).toBe(1);
    expect(output.stdout).toBe('');
    expect(output.stderr).toMatch(/^Error: kustomization\.yaml: resources\[0\]: "missing\.yaml"/);
  });

  it('names the options file that is invalid', async () => {
    const folder = path.join(work, 'bad-options');
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, 'fleet.yaml'), 'targetCustomizations: 3\n');

    const output = await render([folder]);
    expect(output.code).toBe(1);
    expect(output.stderr).toMatch(/^Error: fleet\.yaml: targetCustomizations: expected array/);
  });
});
