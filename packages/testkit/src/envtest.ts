import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { testPki } from './certificates.ts';
import { FatalWaitError, freePort, waitFor } from './ports.ts';
import { startProcess, type ManagedProcess } from './processes.ts';

/**
 * Real Kubernetes API servers for tests, the controller-runtime "envtest" way: one etcd, and
 * one kube-apiserver per cluster with its own --etcd-prefix, port and admin token. There is no
 * controller-manager or kubelet: nothing reconciles Deployments (see markDeploymentAvailable).
 */

export interface TestCluster {
  name: string;
  url: string;
  /** base64 PEM of the CA that signed the serving certificate. */
  caData: string;
  /** A token bound to system:masters. */
  token: string;
  port: number;
  /** Stops this API server (etcd keeps its data): the cluster looks unreachable. */
  stop: () => Promise<void>;
  /** Starts it again on the same port with the same data. */
  start: () => Promise<void>;
  isRunning: () => boolean;
  /** Mutating requests (create, update, patch, delete) the server completed, from its audit log. */
  countMutatingRequests: () => number;
  /** Those requests themselves (verb, URI, user agent), for a failure message. */
  mutatingRequests: () => { verb: string; requestURI: string; userAgent: string; user: string }[];
}

export interface TestClusters {
  clusters: TestCluster[];
  stopAll: () => Promise<void>;
}

export function kubebuilderAssets(): string {
  const dir = process.env.KUBEBUILDER_ASSETS;
  if (!dir) {
    throw new Error(
      'KUBEBUILDER_ASSETS is not set: point it at a folder holding kube-apiserver and etcd ' +
        '(here: ../shared/envtest/bin; .ci/run sets it)',
    );
  }
  for (const binary of ['kube-apiserver', 'etcd']) {
    if (!existsSync(path.join(dir, binary))) {
      throw new Error(`KUBEBUILDER_ASSETS=${dir} has no ${binary}`);
    }
  }
  return dir;
}

const AUDIT_POLICY = `apiVersion: audit.k8s.io/v1
kind: Policy
rules:
- level: Metadata
  verbs: [create, update, patch, delete, deletecollection]
- level: None
`;

async function startEtcd(
  assets: string,
  dataDir: string,
): Promise<{ url: string; process: ManagedProcess }> {
  const [clientPort, peerPort] = [await freePort(), await freePort()];
  const url = `http://127.0.0.1:${clientPort}`;
  const etcd = startProcess(path.join(assets, 'etcd'), [
    '--data-dir',
    dataDir,
    '--listen-client-urls',
    url,
    '--advertise-client-urls',
    url,
    '--listen-peer-urls',
    `http://127.0.0.1:${peerPort}`,
    '--initial-advertise-peer-urls',
    `http://127.0.0.1:${peerPort}`,
    '--initial-cluster',
    `default=http://127.0.0.1:${peerPort}`,
    '--unsafe-no-fsync',
    '--quota-backend-bytes',
    String(2 * 1024 ** 3),
  ]);
  await waitFor(
    'etcd',
    async () => {
      if (etcd.hasExited()) throw new FatalWaitError(`etcd exited:\n${etcd.output()}`);
      const response = await fetch(`${url}/health`);
      return response.ok ? true : undefined;
    },
    { timeoutMs: 30_000 },
  );
  return { url, process: etcd };
}

async function isApiServerReady(url: string, token: string): Promise<boolean> {
  // Node's fetch cannot take a CA per request; readiness only needs "is it up", so this
  // one probe skips verification through a plain https request.
  const { request } = await import('node:https');
  return new Promise((resolve) => {
    const req = request(
      `${url}/readyz`,
      { headers: { Authorization: `Bearer ${token}` }, rejectUnauthorized: false, timeout: 2000 },
      (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      },
    );
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
    req.end();
  });
}

interface AuditEvent {
  stage?: string;
  verb?: string;
  requestURI?: string;
  userAgent?: string;
  user?: { username?: string };
}

function mutatingRequests(auditLog: string) {
  if (!existsSync(auditLog)) return [];
  return (
    readFileSync(auditLog, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as AuditEvent)
      .filter(
        (event) => event.stage === 'ResponseComplete' && !event.requestURI?.includes('dryRun'),
      )
      // Only what clients asked for: the API server's own bookkeeping runs as system users.
      .filter((event) => !event.user?.username?.startsWith('system:'))
      .map((event) => ({
        verb: event.verb ?? '',
        requestURI: event.requestURI ?? '',
        userAgent: event.userAgent ?? '',
        user: event.user?.username ?? '',
      }))
  );
}

export interface StartClustersOptions {
  /** Names of the clusters; defaults to cluster-1..N. */
  names?: string[];
  /** Keep an audit log so tests can count mutating requests (on by default). */
  isAudited?: boolean;
}

export async function startTestClusters(
  count: number,
  { names, isAudited = true }: StartClustersOptions = {},
): Promise<TestClusters> {
  const assets = kubebuilderAssets();
  const pki = testPki();
  const root = mkdtempSync(path.join(tmpdir(), 'flotilla-envtest-'));
  const etcd = await startEtcd(assets, path.join(root, 'etcd'));
  const policyFile = path.join(root, 'audit-policy.yaml');
  writeFileSync(policyFile, AUDIT_POLICY);
  const servers = new Map<string, ManagedProcess>();

  const makeCluster = async (index: number): Promise<TestCluster> => {
    const name = names?.[index] ?? `cluster-${index + 1}`;
    const dir = path.join(root, name);
    mkdirSync(dir, { recursive: true });
    const token = randomBytes(24).toString('hex');
    const tokensFile = path.join(dir, 'tokens.csv');
    writeFileSync(tokensFile, `${token},admin,admin,system:masters\n`);
    const auditLog = path.join(dir, 'audit.log');
    const port = await freePort();
    const url = `https://127.0.0.1:${port}`;
    const args = [
      '--etcd-servers',
      etcd.url,
      '--etcd-prefix',
      `/${name}`,
      '--secure-port',
      String(port),
      '--bind-address',
      '127.0.0.1',
      '--advertise-address',
      '127.0.0.1',
      '--cert-dir',
      dir,
      '--tls-cert-file',
      pki.serverCertFile,
      '--tls-private-key-file',
      pki.serverKeyFile,
      '--token-auth-file',
      tokensFile,
      '--authorization-mode',
      'RBAC',
      '--service-account-key-file',
      pki.serviceAccountCertFile,
      '--service-account-signing-key-file',
      pki.serviceAccountKeyFile,
      '--service-account-issuer',
      'https://kubernetes.default.svc',
      '--service-cluster-ip-range',
      '10.0.0.0/24',
      '--disable-admission-plugins',
      'ServiceAccount',
      ...(isAudited ? ['--audit-policy-file', policyFile, '--audit-log-path', auditLog] : []),
    ];
    const start = async () => {
      const server = startProcess(path.join(assets, 'kube-apiserver'), args);
      servers.set(name, server);
      await waitFor(
        `kube-apiserver ${name} to be ready`,
        async () => {
          if (server.hasExited())
            throw new FatalWaitError(`kube-apiserver ${name} exited:\n${server.output()}`);
          return (await isApiServerReady(url, token)) ? true : undefined;
        },
        { timeoutMs: 90_000, intervalMs: 200 },
      );
    };
    await start();
    return {
      name,
      url,
      caData: pki.caData,
      token,
      port,
      start,
      stop: async () => {
        await servers.get(name)?.stop();
      },
      isRunning: () => servers.get(name)?.hasExited() === false,
      countMutatingRequests: () => mutatingRequests(auditLog).length,
      mutatingRequests: () => mutatingRequests(auditLog),
    };
  };

  try {
    const clusters = await Promise.all(
      Array.from({ length: count }, (_, index) => makeCluster(index)),
    );
    return {
      clusters,
      stopAll: async () => {
        await Promise.all([...servers.values()].map((server) => server.stop()));
        await etcd.process.stop();
        rmSync(root, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await Promise.all([...servers.values()].map((server) => server.stop('SIGKILL')));
    await etcd.process.stop('SIGKILL');
    throw error;
  }
}
