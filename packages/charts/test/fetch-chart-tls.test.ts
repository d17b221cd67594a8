import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { testPki } from '@flotilla/testkit';
import { pack } from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchChart } from '../src/index.ts';

async function chartArchive(): Promise<Buffer> {
  const tar = pack();
  tar.entry({ name: 'web/Chart.yaml' }, 'apiVersion: v2\nname: web\nversion: 1.0.0\n');
  tar.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of tar) chunks.push(chunk as Buffer);
  return gzipSync(Buffer.concat(chunks));
}

describe('fetchChart from a repository whose certificate a private CA signed', () => {
  let server: Server;
  let repo: string;
  let caBundle: string;

  beforeAll(async () => {
    const pki = testPki();
    caBundle = readFileSync(pki.caCertFile, 'utf8');
    const archive = await chartArchive();
    server = createServer(
      { cert: readFileSync(pki.serverCertFile), key: readFileSync(pki.serverKeyFile) },
      (req, res) => {
        const bodies: Record<string, Buffer | string> = {
          '/index.yaml':
            'apiVersion: v1\nentries:\n  web:\n    - version: 1.0.0\n      urls: [web-1.0.0.tgz]\n',
          '/web-1.0.0.tgz': archive,
        };
        const body = bodies[req.url ?? ''];
        if (body === undefined) res.writeHead(404).end();
        else res.writeHead(200).end(body);
      },
    );
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    repo = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((done) => server.close(done));
  });

  it('refuses the unknown certificate, and trusts it with the CA bundle', async () => {
    const spec = { repo, chart: 'web', version: '1.0.0' };
    await expect(fetchChart({ spec })).rejects.toThrow(
      `${repo}/index.yaml: unable to verify the first certificate`,
    );
    const fetched = await fetchChart({ spec, caBundle });
    expect(fetched.chart.metadata).toMatchObject({ name: 'web', version: '1.0.0' });
    // A chart by URL and an OCI registry go through the same client.
    const byUrl = await fetchChart({
      spec: { repo: '', chart: `${repo}/web-1.0.0.tgz`, version: '' },
      caBundle,
    });
    expect(byUrl.version).toBe('1.0.0');
  });
});
