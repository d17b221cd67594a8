import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { readFileSync, readdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { pack } from 'tar-stream';
import {
  bundleChartSource,
  chartKeyOf,
  firstMatchingTarget,
  loadBundleChart,
  loadBundleOptions,
  renderBundle,
  type KubeObject,
} from '@flotilla/engine';
import { fetchChart } from './fetch-chart.ts';

const EXAMPLES = resolve(
  process.env.FLOTILLA_SHARED_DIR ?? resolve(import.meta.dirname, '../../../../shared'),
  'fixtures/fleet-examples',
);

/** The guestbook chart Fleet downloaded for helm-external, from its recorded Bundle. */
function guestbookFiles(): { name: string; content: string }[] {
  const text = readFileSync(
    join(EXAMPLES, 'tests/expected/multi-cluster/helm-external/bundle.yaml'),
    'utf8',
  );
  const { spec } = parse(text) as { spec: { resources: { name: string; content: string }[] } };
  return spec.resources
    .filter((resource) => resource.name.startsWith('.chart/'))
    .map((resource) => ({
      name: resource.name.split('/').slice(3).join('/'),
      content: resource.content,
    }));
}

/** A chart archive as `helm package` lays it out: every file under `<name>/`. */
async function chartArchive(
  name: string,
  files: { name: string; content: string }[],
): Promise<Buffer> {
  const tar = pack();
  for (const file of files) tar.entry({ name: `${name}/${file.name}` }, file.content);
  tar.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of tar) chunks.push(chunk as Buffer);
  return gzipSync(Buffer.concat(chunks));
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

let server: Server;
let repo: string;
let archive: Buffer;
let newer: Buffer;
const requests: { url: string; authorization: string | undefined }[] = [];
const AUTH = { username: 'fleet', password: 's3cret-pass' };

beforeAll(async () => {
  const files = guestbookFiles();
  archive = await chartArchive('guestbook', files);
  newer = await chartArchive(
    'guestbook',
    files.map((file) =>
      file.name === 'Chart.yaml'
        ? { ...file, content: file.content.replace('version: 0.0.1', 'version: 0.0.2') }
        : file,
    ),
  );
  const index = (base: string) =>
    [
      'apiVersion: v1',
      'entries:',
      '  guestbook:',
      '    - version: 0.0.2',
      `      urls: [${base}/charts/guestbook-0.0.2.tgz]`,
      `      digest: ${sha256(newer)}`,
      '    - version: 0.0.1',
      '      urls: [charts/guestbook-0.0.1.tgz]',
      `      digest: ${sha256(archive)}`,
      '    - version: 0.0.3-rc.1',
      '      urls: [charts/missing.tgz]',
      '  tampered:',
      '    - version: 1.0.0',
      '      urls: [charts/guestbook-0.0.1.tgz]',
      `      digest: '${'0'.repeat(64)}'`,
      '  metadata:',
      '    - version: 1.0.0',
      '      urls: [http://169.254.169.254/latest/chart.tgz]',
      '',
    ].join('\n');
  const expected = `Basic ${Buffer.from(`${AUTH.username}:${AUTH.password}`).toString('base64')}`;
  server = createServer((req, res) => {
    requests.push({ url: req.url ?? '', authorization: req.headers.authorization });
    if (req.headers.authorization !== expected) {
      res.writeHead(401).end();
      return;
    }
    const bodies: Record<string, Buffer | string> = {
      '/index.yaml': index(repo),
      '/charts/guestbook-0.0.1.tgz': archive,
      '/charts/guestbook-0.0.2.tgz': newer,
    };
    const body = bodies[req.url ?? ''];
    if (body === undefined) res.writeHead(404).end();
    else res.writeHead(200).end(body);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  repo = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((done) => server.close(done));
});

describe('fetchChart from an HTTP Helm repository', () => {
  it('picks the exact version, the highest stable match of a constraint, or the latest', async () => {
    const exact = await fetchChart({
      spec: { repo, chart: 'guestbook', version: '0.0.1' },
      auth: AUTH,
    });
    expect(exact).toMatchObject({ version: '0.0.1', digest: sha256(archive) });
    expect(exact.chart.metadata).toMatchObject({ name: 'guestbook', version: '0.0.1' });

    const ranged = await fetchChart({
      spec: { repo, chart: 'guestbook', version: '~0.0.1' },
      auth: AUTH,
    });
    expect(ranged.version).toBe('0.0.2');
    const latest = await fetchChart({
      spec: { repo, chart: 'guestbook', version: '' },
      auth: AUTH,
    });
    expect(latest.version).toBe('0.0.2');
    expect(latest.chart.metadata.version).toBe('0.0.2');
  });

  it('sends basic auth only to the repository and says when it is refused, without the password', async () => {
    const error = await fetchChart({
      spec: { repo, chart: 'guestbook', version: '0.0.1' },
      auth: { username: 'fleet', password: 'wrong-password' },
    }).catch((caught: Error) => caught);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe(
      `${repo}/index.yaml: HTTP 401 (check the repository credentials)`,
    );
    expect((error as Error).message).not.toContain('wrong-password');
  });

  it('refuses an archive whose digest is not the index one, and URLs the address policy refuses', async () => {
    await expect(
      fetchChart({ spec: { repo, chart: 'tampered', version: '1.0.0' }, auth: AUTH }),
    ).rejects.toThrow(/digest [0-9a-f]{64} is not the index's 0{64}/);
    await expect(
      fetchChart({ spec: { repo, chart: 'metadata', version: '1.0.0' }, auth: AUTH }),
    ).rejects.toThrow('http://169.254.169.254/latest/chart.tgz: ');
    await expect(
      fetchChart({ spec: { repo, chart: 'absent', version: '' }, auth: AUTH }),
    ).rejects.toThrow(`${repo}/: chart "absent" not found in the repository`);
    await expect(
      fetchChart({ spec: { repo: 'http://charts.example.com', chart: 'web', version: '' } }),
    ).rejects.toThrow('uses plain http');
  });

  it('keeps archives by digest and reads them from the cache', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'flotilla-charts-'));
    try {
      const spec = { repo, chart: 'guestbook', version: '0.0.1' };
      await fetchChart({ spec, auth: AUTH, cacheDir });
      expect(await readdir(cacheDir)).toEqual([`${sha256(archive)}.tgz`]);
      const before = requests.filter((r) => r.url.endsWith('.tgz')).length;
      const again = await fetchChart({ spec, auth: AUTH, cacheDir });
      expect(again.digest).toBe(sha256(archive));
      expect(requests.filter((r) => r.url.endsWith('.tgz')).length).toBe(before);
    } finally {
      await rm(cacheDir, { recursive: true, force: true });
    }
  });
});

function readRepo(root: string): Map<string, string> {
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

const identity = (o: KubeObject) =>
  `${o.apiVersion}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;

function withoutBookkeeping(object: KubeObject): KubeObject {
  const metadata: Record<string, unknown> = { ...object.metadata };
  for (const field of ['labels', 'annotations'] as const) {
    const entries = Object.entries(object.metadata[field] ?? {}).filter(
      ([key]) => !key.startsWith('objectset.rio.cattle.io/'),
    );
    if (entries.length === 0) delete metadata[field];
    else metadata[field] = Object.fromEntries(entries);
  }
  return { ...object, metadata } as unknown as KubeObject;
}

describe('fleet-examples multi-cluster/helm-external with its chart from a local Helm repository', () => {
  it.each(['dev', 'test', 'prod'])('renders as Fleet does for env=%s', async (env) => {
    const bundle = 'multi-cluster/helm-external';
    const files = readRepo(EXAMPLES);
    // The example names a GitHub release URL; the test serves the same chart from its own
    // repository instead (no network here), everything else of the fleet.yaml unchanged.
    const fleetYaml = files
      .get(`${bundle}/fleet.yaml`)
      ?.replace(/chart: https:\/\/\S+/, `repo: ${repo}\n  chart: guestbook\n  version: 0.0.1`);
    files.set(`${bundle}/fleet.yaml`, fleetYaml ?? '');
    const options = loadBundleOptions(files, bundle);
    const match = firstMatchingTarget(
      options.targetCustomizations,
      { id: env, name: env, labels: { env } },
      [],
    );
    const input = { files, bundlePath: bundle, options, customization: match?.target };
    const source = bundleChartSource(input);
    if (source?.kind !== 'external') throw new Error('expected an external chart');
    const fetched = await fetchChart({ spec: source.request, auth: AUTH });
    const charts = new Map([[chartKeyOf(source.request), fetched.chart]]);
    const { objects } = renderBundle({
      ...input,
      chart: await loadBundleChart({ ...input, charts }),
    });

    const text = readFileSync(
      join(EXAMPLES, 'tests/expected', bundle, `${env}-output.yaml`),
      'utf8',
    );
    const expected = parseAllDocuments(text)
      .map((document) => document.toJS() as KubeObject | null)
      .filter((object): object is KubeObject => object !== null)
      .map(withoutBookkeeping);
    expect(new Map(objects.map((o) => [identity(o), o]))).toEqual(
      new Map(expected.map((o) => [identity(o), o])),
    );
  });
});
