import { startTestClusters, type TestClusters } from '@flotilla/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createClusterClient,
  discoverApiVersions,
  lookupObject,
  type ClusterClient,
} from '../src/index.ts';

describe('what a Helm render reads from a real kube-apiserver', () => {
  let envtest: TestClusters;
  let client: ClusterClient;

  beforeAll(async () => {
    envtest = await startTestClusters(1);
    const cluster = envtest.clusters[0]!;
    client = createClusterClient({
      apiServerUrl: cluster.url,
      caData: cluster.caData,
      insecureSkipTlsVerify: false,
      credentials: { kind: 'token', token: cluster.token },
    });
    await client.request({
      method: 'POST',
      path: '/api/v1/namespaces',
      body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'reads' } },
    });
    await client.request({
      method: 'POST',
      path: '/api/v1/namespaces/reads/secrets',
      body: {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'db', labels: { app: 'db' } },
        data: { token: Buffer.from('s3cret').toString('base64') },
      },
    });
  });

  afterAll(async () => {
    client?.close();
    await envtest?.stopAll();
  });

  it("discovers group/versions and group/version/Kinds as Helm's GetVersionSet does", async () => {
    const versions = await discoverApiVersions(client);
    expect(versions).toEqual(expect.arrayContaining(['v1', 'apps/v1', 'apps/v1/Deployment']));
    expect(versions).toContain('v1/Secret');
    expect(versions).toContain('policy/v1beta1');
    // v1.20 serves no policy/v1 (PodDisruptionBudget moved there in 1.21).
    expect(versions).not.toContain('policy/v1');
    expect(versions.some((version) => version.endsWith('/status'))).toBe(false);
    expect([...versions].sort()).toEqual(versions);
  });

  it('lookup reads one object, a list with kinds on its items, and {} for what is absent', async () => {
    const secret = await lookupObject(client, {
      apiVersion: 'v1',
      kind: 'Secret',
      namespace: 'reads',
      name: 'db',
    });
    expect(secret).toMatchObject({
      kind: 'Secret',
      metadata: { name: 'db', namespace: 'reads' },
      data: { token: Buffer.from('s3cret').toString('base64') },
    });
    const list = (await lookupObject(client, {
      apiVersion: 'v1',
      kind: 'Secret',
      namespace: 'reads',
      name: '',
    })) as { items: { kind: string; apiVersion: string; metadata: { name: string } }[] };
    expect(list.items.find((item) => item.metadata.name === 'db')).toMatchObject({
      apiVersion: 'v1',
      kind: 'Secret',
    });
    expect(
      await lookupObject(client, {
        apiVersion: 'v1',
        kind: 'Secret',
        namespace: 'reads',
        name: 'x',
      }),
    ).toEqual({});
    expect(
      await lookupObject(client, {
        apiVersion: 'example.com/v1',
        kind: 'Widget',
        namespace: 'reads',
        name: 'w',
      }),
    ).toEqual({});
  });
});
