import * as k8s from '@kubernetes/client-node';
import { kubeConfigFor, type Platform, type TestCluster } from '@flotilla/testkit';
import { vi } from 'vitest';

export interface ApiCluster {
  id: string;
  name: string;
  connectivity: {
    state: string;
    kubernetesVersion: string | null;
    lastSeenAt: string | null;
    message: string;
  };
}

export async function json<T>(response: Response): Promise<T> {
  const text = await response.text();
  if (!response.ok) throw new Error(`${response.status} ${response.url}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export async function registerCluster(
  platform: Platform,
  cluster: TestCluster,
  labels: Record<string, string>,
): Promise<ApiCluster> {
  return json<ApiCluster>(
    await platform.api('/api/v1/clusters', {
      json: {
        name: cluster.name,
        labels,
        apiServerUrl: cluster.url,
        caData: cluster.caData,
        token: cluster.token,
      },
    }),
  );
}

export async function waitForConnectivity(
  platform: Platform,
  clusterId: string,
  state: string,
  timeout = 60_000,
): Promise<ApiCluster> {
  return vi.waitFor(
    async () => {
      const cluster = await json<ApiCluster>(await platform.api(`/api/v1/clusters/${clusterId}`));
      if (cluster.connectivity.state !== state)
        throw new Error(
          `cluster is ${cluster.connectivity.state}: ${cluster.connectivity.message}`,
        );
      return cluster;
    },
    { timeout, interval: 250 },
  );
}

/** Reads an object straight from a cluster's API server (what a user would check with kubectl). */
export async function readObject(
  cluster: TestCluster,
  ref: { apiVersion: string; kind: string; namespace?: string; name: string },
) {
  const client = k8s.KubernetesObjectApi.makeApiClient(kubeConfigFor(cluster));
  return client.read({
    apiVersion: ref.apiVersion,
    kind: ref.kind,
    metadata: { name: ref.name, ...(ref.namespace ? { namespace: ref.namespace } : {}) },
  });
}

export async function objectExists(
  cluster: TestCluster,
  ref: { apiVersion: string; kind: string; namespace?: string; name: string },
): Promise<boolean> {
  try {
    await readObject(cluster, ref);
    return true;
  } catch (error) {
    if (error instanceof k8s.ApiException && error.code === 404) return false;
    throw error;
  }
}
