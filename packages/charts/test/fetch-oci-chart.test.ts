import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createAddressPolicy } from '@flotilla/net';
import { OCI_REGISTRY_USER, startOciRegistry, type OciRegistry } from '@flotilla/testkit';
import { pack } from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchChart } from '../src/index.ts';

async function chartArchive(name: string, version: string): Promise<Buffer> {
  const tar = pack();
  tar.entry({ name: `${name}/Chart.yaml` }, `apiVersion: v2\nname: ${name}\nversion: ${version}\n`);
  tar.entry(
    { name: `${name}/templates/cm.yaml` },
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n',
  );
  tar.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of tar) chunks.push(chunk as Buffer);
  return gzipSync(Buffer.concat(chunks));
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

describe('fetchChart from an OCI registry (the real Distribution registry)', () => {
  let anonymous: OciRegistry;
  let guarded: OciRegistry;
  const archives = new Map<string, Buffer>();
  let manifestDigest = '';

  beforeAll(async () => {
    [anonymous, guarded] = await Promise.all([
      startOciRegistry(),
      startOciRegistry({ auth: 'htpasswd' }),
    ]);
    for (const version of ['1.0.0', '1.2.0', '1.3.0-rc.1', '2.0.0', '1.2.1+build.7']) {
      const archive = await chartArchive('podinfo', version);
      archives.set(version, archive);
      const pushed = await anonymous.pushChart(
        'charts/podinfo',
        version.replace('+', '_'),
        archive,
      );
      if (version === '1.2.0') manifestDigest = pushed.digest;
    }
    await guarded.pushChart('team/podinfo', '1.0.0', archives.get('1.0.0')!);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([anonymous?.stop(), guarded?.stop()]);
  });

  it('pulls an exact version, the highest tag matching a constraint, and the latest stable', async () => {
    const exact = await fetchChart({
      spec: { repo: '', chart: `oci://${anonymous.host}/charts/podinfo`, version: '1.0.0' },
    });
    expect(exact.chart.metadata).toMatchObject({ name: 'podinfo', version: '1.0.0' });
    expect(exact.digest).toBe(sha256(archives.get('1.0.0')!));
    expect(exact.url).toBe(`oci://${anonymous.host}/charts/podinfo:1.0.0`);

    const ranged = await fetchChart({
      spec: { repo: `oci://${anonymous.host}/charts`, chart: 'podinfo', version: '~1.2.0' },
    });
    expect(ranged.version).toBe('1.2.1+build.7');
    const latest = await fetchChart({
      spec: { repo: '', chart: `oci://${anonymous.host}/charts/podinfo`, version: '' },
    });
    expect(latest.version).toBe('2.0.0');
    const tagged = await fetchChart({
      spec: { repo: '', chart: `oci://${anonymous.host}/charts/podinfo:1.2.0`, version: '' },
    });
    expect(tagged.version).toBe('1.2.0');
    await expect(
      fetchChart({
        spec: { repo: '', chart: `oci://${anonymous.host}/charts/podinfo`, version: '^3.0.0' },
      }),
    ).rejects.toThrow(`oci://${anonymous.host}/charts/podinfo: no tag matches version "^3.0.0"`);
    await expect(
      fetchChart({
        spec: { repo: '', chart: `oci://${anonymous.host}/charts/absent`, version: '1.0.0' },
      }),
    ).rejects.toThrow(/HTTP 404 reading the manifest/);

    // A manifest digest pins the chart; the version, when given, must be the chart's.
    const pinned = `oci://${anonymous.host}/charts/podinfo@${manifestDigest}`;
    const byDigest = await fetchChart({ spec: { repo: '', chart: pinned, version: '' } });
    expect(byDigest.version).toBe('1.2.0');
    expect(byDigest.url).toBe(pinned);
    await expect(
      fetchChart({ spec: { repo: '', chart: pinned, version: '1.0.0' } }),
    ).rejects.toThrow(`${pinned}: the chart is version 1.2.0, not 1.0.0`);
    await expect(
      fetchChart({
        spec: {
          repo: '',
          chart: `oci://${anonymous.host}/charts/podinfo@sha256:${'0'.repeat(64)}`,
          version: '',
        },
      }),
    ).rejects.toThrow(/HTTP 404 reading the manifest/);
  });

  it('answers the Basic challenge with the credentials and says when they are wrong, never echoing them', async () => {
    const chart = `oci://${guarded.host}/team/podinfo`;
    const pulled = await fetchChart({
      spec: { repo: '', chart, version: '1.0.0' },
      auth: { username: OCI_REGISTRY_USER.username, password: OCI_REGISTRY_USER.password },
    });
    expect(pulled.chart.metadata.version).toBe('1.0.0');

    const wrong = await fetchChart({
      spec: { repo: '', chart, version: '1.0.0' },
      auth: { username: OCI_REGISTRY_USER.username, password: 'not-the-password' },
    }).catch((error: Error) => error);
    expect((wrong as Error).message).toBe(
      `${chart}: HTTP 401 reading the manifest (check the registry credentials)`,
    );
    const none = await fetchChart({ spec: { repo: '', chart, version: '1.0.0' } }).catch(
      (error: Error) => error,
    );
    expect((none as Error).message).toBe(
      `${chart}: the registry asks for credentials (helmSecretName)`,
    );
  });

  it('gets a Bearer token from the realm the registry names, and sends the token only to the registry', async () => {
    // A token service and a gate in front of the anonymous registry, as Docker Hub or GHCR
    // answer: 401 with `Bearer realm=...`, then the token on every request.
    const seen: { path: string; authorization: string | undefined }[] = [];
    const token = 'tok-0123456789';
    const tokens = await listen((req, res) => {
      seen.push({ path: req.url ?? '', authorization: req.headers.authorization });
      const expected = `Basic ${Buffer.from('robot:robot-pass').toString('base64')}`;
      if (req.headers.authorization !== expected) return void res.writeHead(401).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token }));
    });
    const gate = await listen((req, res) => {
      seen.push({ path: req.url ?? '', authorization: req.headers.authorization });
      if (req.headers.authorization !== `Bearer ${token}`) {
        res
          .writeHead(401, {
            'www-authenticate': `Bearer realm="http://127.0.0.1:${port(tokens)}/token",service="test-registry",scope="repository:charts/podinfo:pull"`,
          })
          .end();
        return;
      }
      const upstream = request(`${anonymous.url}${req.url}`, {
        headers: { accept: req.headers.accept ?? '*/*' },
      });
      upstream.on('response', (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.end();
    });
    try {
      const pulled = await fetchChart({
        spec: {
          repo: '',
          chart: `oci://127.0.0.1:${port(gate)}/charts/podinfo`,
          version: '^1.0.0',
        },
        auth: { username: 'robot', password: 'robot-pass' },
      });
      expect(pulled.version).toBe('1.2.1+build.7');
      const tokenRequests = seen.filter((entry) => entry.path.startsWith('/token'));
      expect(tokenRequests).toHaveLength(1);
      expect(tokenRequests[0]!.path).toBe(
        '/token?service=test-registry&scope=repository%3Acharts%2Fpodinfo%3Apull',
      );
      const registryRequests = seen.filter((entry) => entry.path.startsWith('/v2/'));
      // Tag list (challenged, then with the token), manifest, blob.
      expect(registryRequests.map((entry) => entry.authorization)).toEqual([
        undefined,
        `Bearer ${token}`,
        `Bearer ${token}`,
        `Bearer ${token}`,
      ]);
    } finally {
      await Promise.all([close(tokens), close(gate)]);
    }
  });

  it('keeps the chart layer in the cache by digest and refuses registries the address policy refuses', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'flotilla-oci-cache-'));
    try {
      const spec = { repo: '', chart: `oci://${anonymous.host}/charts/podinfo`, version: '1.0.0' };
      await fetchChart({ spec, cacheDir });
      expect(await readdir(cacheDir)).toEqual([`${sha256(archives.get('1.0.0')!)}.tgz`]);
      const again = await fetchChart({ spec, cacheDir });
      expect(again.digest).toBe(sha256(archives.get('1.0.0')!));
      await expect(
        fetchChart({ spec: { ...spec, chart: 'oci://169.254.169.254/charts/podinfo' } }),
      ).rejects.toThrow(/169\.254\.169\.254/);
      await expect(
        fetchChart({
          spec,
          policy: createAddressPolicy({
            allowed: [
              { address: '10.0.0.0', prefix: 8, family: 'ipv4', why: 'in the test allow list' },
            ],
          }),
        }),
      ).rejects.toThrow(`http://${anonymous.host}/v2/`);
      await expect(
        fetchChart({ spec: { ...spec, chart: 'oci://registry.example.com/../etc' } }),
      ).rejects.toThrow('not an OCI chart reference');
    } finally {
      await rm(cacheDir, { recursive: true, force: true });
    }
  });
});

function listen(handler: Parameters<typeof createServer>[1]): Promise<Server> {
  const server = createServer(handler);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function port(server: Server): number {
  return (server.address() as AddressInfo).port;
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
