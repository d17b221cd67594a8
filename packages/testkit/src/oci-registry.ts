import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, waitFor } from './ports.ts';
import { startProcess, type ManagedProcess } from './processes.ts';

/**
 * A user of the htpasswd variant. Distribution reads bcrypt entries only, and the hash is
 * computed once here (cost 4, Go's minimum) so the tests need no bcrypt library:
 * `python3 -c "import crypt; print(crypt.crypt('chart-pull-pass', crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=16)))"`.
 */
export const OCI_REGISTRY_USER = Object.freeze({
  username: 'chart-puller',
  password: 'chart-pull-pass',
  bcrypt: '$2b$04$SiefAJrPcD.d0Mn6AhUOC.UsxYrM5Z6jqZURg10GHePXcgYLR2huu',
});

export interface OciRegistry {
  /** `127.0.0.1:PORT`, as it goes after `oci://`. */
  host: string;
  /** `http://127.0.0.1:PORT`. */
  url: string;
  /**
   * Pushes a chart archive as `helm push` does: the config and the chart layer as blobs
   * (monolithic uploads), then an OCI manifest with Helm's media types under `tag`.
   */
  pushChart: (repository: string, tag: string, archive: Buffer) => Promise<{ digest: string }>;
  stop: () => Promise<void>;
}

const HELM_CONFIG = 'application/vnd.cncf.helm.config.v1+json';
const HELM_LAYER = 'application/vnd.cncf.helm.chart.content.v1.tar+gzip';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

/** Where Debian's docker-registry package puts the Distribution registry. */
function registryBinary(): string {
  return process.env.FLOTILLA_DOCKER_REGISTRY ?? 'docker-registry';
}

/**
 * Starts the real Distribution registry (Debian's `docker-registry`, v2.8) on a free loopback
 * port, storing in a temporary folder, with a config file of its own. `auth: 'htpasswd'`
 * requires OCI_REGISTRY_USER (Basic challenge); without it the registry is anonymous.
 */
export async function startOciRegistry({ auth }: { auth?: 'htpasswd' } = {}): Promise<OciRegistry> {
  // A missing registry fails the test that needs it, saying what to install (never a skip).
  const probe = spawnSync(registryBinary(), ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      `${registryBinary()} is not installed: apt-get install docker-registry (Debian's Distribution registry; .ci/run installs it)`,
    );
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'flotilla-registry-'));
  const port = await freePort();
  const htpasswd = path.join(dir, 'htpasswd');
  await writeFile(htpasswd, `${OCI_REGISTRY_USER.username}:${OCI_REGISTRY_USER.bcrypt}\n`);
  const config = [
    'version: 0.1',
    'log:',
    '  level: info',
    '  accesslog:',
    '    disabled: false',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${path.join(dir, 'data')}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: 127.0.0.1:${port}`,
    `  secret: ${createHash('sha256').update(dir).digest('hex')}`,
    ...(auth === 'htpasswd'
      ? ['auth:', '  htpasswd:', '    realm: flotilla-test', `    path: ${htpasswd}`]
      : []),
    '',
  ].join('\n');
  const configFile = path.join(dir, 'config.yml');
  await writeFile(configFile, config);
  let registry: ManagedProcess;
  try {
    registry = startProcess(registryBinary(), ['serve', configFile]);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const url = `http://127.0.0.1:${port}`;
  const basic = `Basic ${Buffer.from(`${OCI_REGISTRY_USER.username}:${OCI_REGISTRY_USER.password}`).toString('base64')}`;
  const headers = (extra: Record<string, string> = {}) =>
    auth === 'htpasswd' ? { authorization: basic, ...extra } : extra;
  try {
    await waitFor(
      'docker-registry to answer',
      async () => {
        if (registry.hasExited()) {
          throw new Error(
            `docker-registry exited (is Debian's docker-registry package installed?):\n${registry.output()}`,
          );
        }
        const response = await fetch(`${url}/v2/`, { headers: headers() }).catch(() => undefined);
        return response?.status === 200 ? true : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );
  } catch (error) {
    await registry.stop();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }

  const uploadBlob = async (repository: string, data: Buffer): Promise<string> => {
    const digest = `sha256:${createHash('sha256').update(data).digest('hex')}`;
    const start = await fetch(`${url}/v2/${repository}/blobs/uploads/`, {
      method: 'POST',
      headers: headers(),
    });
    if (start.status !== 202) throw new Error(`blob upload start: HTTP ${start.status}`);
    const location = new URL(start.headers.get('location') ?? '', url);
    location.searchParams.set('digest', digest);
    const put = await fetch(location, {
      method: 'PUT',
      headers: headers({ 'content-type': 'application/octet-stream' }),
      body: new Uint8Array(data),
    });
    if (put.status !== 201) throw new Error(`blob upload: HTTP ${put.status} ${await put.text()}`);
    return digest;
  };

  return {
    host: `127.0.0.1:${port}`,
    url,
    pushChart: async (repository, tag, archive) => {
      const config = Buffer.from(
        JSON.stringify({ name: repository.split('/').pop(), version: tag }),
      );
      const configDigest = await uploadBlob(repository, config);
      const layerDigest = await uploadBlob(repository, archive);
      const manifest = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: OCI_MANIFEST,
          config: { mediaType: HELM_CONFIG, digest: configDigest, size: config.length },
          layers: [{ mediaType: HELM_LAYER, digest: layerDigest, size: archive.length }],
        }),
      );
      const put = await fetch(`${url}/v2/${repository}/manifests/${tag}`, {
        method: 'PUT',
        headers: headers({ 'content-type': OCI_MANIFEST }),
        body: manifest,
      });
      if (put.status !== 201) {
        throw new Error(`manifest upload: HTTP ${put.status} ${await put.text()}`);
      }
      return { digest: `sha256:${createHash('sha256').update(manifest).digest('hex')}` };
    },
    stop: async () => {
      await registry.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
