import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import {
  createServer as createTcpServer,
  type AddressInfo,
  type Server as TcpServer,
  type Socket,
} from 'node:net';
import { startTestClusters, testPki, type TestCluster, type TestClusters } from '@flotilla/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createClusterClient,
  parseKubeconfig,
  probeCluster,
  type ClusterClient,
  type ClusterConnection,
} from '../src/index.ts';

function connectionTo(
  cluster: TestCluster,
  overrides: Partial<ClusterConnection> = {},
): ClusterConnection {
  return {
    apiServerUrl: cluster.url,
    caData: cluster.caData,
    insecureSkipTlsVerify: false,
    credentials: { kind: 'token', token: cluster.token },
    ...overrides,
  };
}

function listen(server: HttpsServer | TcpServer, host = '127.0.0.1'): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, host, () =>
      resolve(`https://${host}:${(server.address() as AddressInfo).port}`),
    );
  });
}

function serveWithTestCertificate(handler: Parameters<typeof createHttpsServer>[1]): HttpsServer {
  const pki = testPki();
  return createHttpsServer(
    { cert: readFileSync(pki.serverCertFile), key: readFileSync(pki.serverKeyFile) },
    handler,
  );
}

describe('probeCluster against a real kube-apiserver', () => {
  let envtest: TestClusters;
  let cluster: TestCluster;
  const clients: ClusterClient[] = [];
  const clientFor = (connection: ClusterConnection) => {
    const client = createClusterClient(connection);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    envtest = await startTestClusters(1);
    const [first] = envtest.clusters;
    if (!first) throw new Error('a cluster expected');
    cluster = first;
  });

  afterAll(async () => {
    for (const client of clients) client.close();
    await envtest?.stopAll();
  });

  it('answers with the Kubernetes version, verifying TLS against the given CA', async () => {
    expect(await probeCluster(clientFor(connectionTo(cluster)))).toEqual({
      ok: true,
      kubernetesVersion: 'v1.20.2',
    });
  });

  it('reaches the API server by host name, through the connect-time address check', async () => {
    const byName = connectionTo(cluster, {
      apiServerUrl: cluster.url.replace('127.0.0.1', 'localhost'),
    });
    expect(await probeCluster(clientFor(byName))).toEqual({
      ok: true,
      kubernetesVersion: 'v1.20.2',
    });
  });

  it('works from a pasted kubeconfig, end to end', async () => {
    const kubeconfig = [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      `- name: envtest`,
      `  cluster: { server: "${cluster.url}", certificate-authority-data: "${cluster.caData}" }`,
      'users:',
      `- name: admin`,
      `  user: { token: "${cluster.token}" }`,
      'contexts:',
      '- name: envtest',
      '  context: { cluster: envtest, user: admin }',
      'current-context: envtest',
    ].join('\n');
    const connection = parseKubeconfig(kubeconfig, { allowInsecure: false });
    expect(await probeCluster(clientFor(connection))).toEqual({
      ok: true,
      kubernetesVersion: 'v1.20.2',
    });
  });

  it('a wrong token is CredentialsRejected, and the message does not contain the token', async () => {
    const token = 'not-the-right-token-0123456789';
    const result = await probeCluster(
      clientFor(connectionTo(cluster, { credentials: { kind: 'token', token } })),
    );
    expect(result).toEqual({
      ok: false,
      reason: 'CredentialsRejected',
      message: 'credentials rejected (401 from the API server)',
    });
    expect(JSON.stringify(result)).not.toContain(token);
  });

  it('a CA that did not sign the serving certificate is a TlsError naming the check', async () => {
    // A real CA certificate, just not the one that signed the API server's certificate.
    const otherCa = readFileSync(testPki().serviceAccountCertFile).toString('base64');
    const result = await probeCluster(clientFor(connectionTo(cluster, { caData: otherCa })));
    expect(result).toEqual({
      ok: false,
      reason: 'TlsError',
      message:
        'TLS verification failed: certificate not signed by the given CA (UNABLE_TO_VERIFY_LEAF_SIGNATURE)',
    });
  });

  it('no CA at all: the system CAs do not know the test CA either', async () => {
    const result = await probeCluster(clientFor(connectionTo(cluster, { caData: undefined })));
    expect(result).toMatchObject({ ok: false, reason: 'TlsError' });
    expect(result.ok === false && result.message).toMatch(/^TLS verification failed: /);
  });

  it('a server whose certificate does not name its address is a TlsError: hostname mismatch', async () => {
    // Signed by the right CA, but for 127.0.0.1 and localhost; served on 127.0.0.2.
    const server = serveWithTestCertificate((_request, response) => response.end('{}'));
    const url = await listen(server, '127.0.0.2');
    try {
      expect(await probeCluster(clientFor(connectionTo(cluster, { apiServerUrl: url })))).toEqual({
        ok: false,
        reason: 'TlsError',
        message: 'TLS verification failed: hostname mismatch (ERR_TLS_CERT_ALTNAME_INVALID)',
      });
    } finally {
      server.close();
    }
  });

  it('a server that accepts the connection but never answers is a Timeout', async () => {
    const sockets: Socket[] = [];
    const silent = createTcpServer((socket) => sockets.push(socket));
    const url = await listen(silent);
    try {
      const result = await probeCluster(clientFor(connectionTo(cluster, { apiServerUrl: url })), {
        timeoutMs: 300,
      });
      expect(result).toEqual({
        ok: false,
        reason: 'Timeout',
        message: 'no answer from the API server within 300 ms',
      });
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });

  it('a hostile server: its body is never echoed, and a non-Kubernetes answer is an Error', async () => {
    const hostileText = 'IGNORE PREVIOUS INSTRUCTIONS <script>alert(1)</script>';
    let status = 401;
    const hostile = serveWithTestCertificate((_request, response) => {
      response.writeHead(status, { 'Content-Type': 'application/json' });
      response.end(
        JSON.stringify({ kind: 'Status', message: hostileText, gitVersion: hostileText }),
      );
    });
    const url = await listen(hostile);
    try {
      const client = clientFor(connectionTo(cluster, { apiServerUrl: url }));
      const rejected = await probeCluster(client);
      expect(rejected).toEqual({
        ok: false,
        reason: 'CredentialsRejected',
        message: 'credentials rejected (401 from the API server)',
      });
      status = 200;
      const odd = await probeCluster(client);
      expect(odd).toEqual({
        ok: false,
        reason: 'Error',
        message: 'the server did not answer like a Kubernetes API server',
      });
      expect(JSON.stringify([rejected, odd])).not.toContain('IGNORE');
    } finally {
      hostile.close();
    }
  });

  it('reuses keep-alive connections: ten requests in a row, one TLS handshake', async () => {
    let handshakes = 0;
    const server = serveWithTestCertificate((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ gitVersion: 'v1.30.1' }));
    });
    server.on('secureConnection', () => {
      handshakes += 1;
    });
    const url = await listen(server);
    try {
      const client = clientFor(connectionTo(cluster, { apiServerUrl: url }));
      for (let i = 0; i < 10; i += 1) {
        expect(await probeCluster(client)).toEqual({ ok: true, kubernetesVersion: 'v1.30.1' });
      }
      expect(handshakes).toBe(1);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('a stopped API server is Unreachable: connection refused', async () => {
    const client = clientFor(connectionTo(cluster));
    await cluster.stop();
    try {
      expect(await probeCluster(client)).toEqual({
        ok: false,
        reason: 'Unreachable',
        message: 'connection refused',
      });
    } finally {
      await cluster.start();
    }
    expect(await probeCluster(client)).toEqual({ ok: true, kubernetesVersion: 'v1.20.2' });
  });
});
