import {
  applyObjects,
  createClusterClient,
  FIELD_MANAGER,
  withOwnership,
  type ClusterClient,
  type KubeObject,
} from '@flotilla/kube';
import pLimit from 'p-limit';
import type { SimClusterAddress } from './sim-protocol.ts';

/*
 * P3's floor: the same server-side apply requests the platform makes for a change (the same
 * objects, the same packages/kube client, the same concurrency: FLOTILLA_WORKER_CONCURRENCY
 * clusters at a time, FLOTILLA_CLUSTER_CONCURRENCY requests per cluster) from a bare loop, with
 * no git, render, plan, queue or database in between. The objects are renamed ("-floor") and
 * labelled for another workspace, so the platform never sees them, and applied twice: a first,
 * untimed pass creates them and warms connections and discovery as the worker's earlier deploys
 * did; the timed pass changes the Deployment's template, as the measured commit does.
 */

export interface FloorResult {
  applySeconds: number;
  requests: number;
  failures: string[];
}

function floorCopy(object: KubeObject, version: string): KubeObject {
  const copy = withOwnership(structuredClone(object), {
    workspaceId: 'bench-floor',
    bundleId: 'bench-floor',
  });
  copy.metadata.name = `${copy.metadata.name}-floor`;
  const template = (
    copy.spec as { template?: { metadata?: { annotations?: Record<string, string> } } } | undefined
  )?.template;
  if (template) {
    template.metadata = {
      ...template.metadata,
      annotations: { ...template.metadata?.annotations, 'bench.flotilla.dev/floor': version },
    };
  }
  const data = (copy as { data?: Record<string, string> }).data;
  if (data) data['floor'] = version;
  return copy;
}

async function pass(
  clients: ClusterClient[],
  objects: readonly KubeObject[],
  clustersAtOnce: number,
  version: string,
): Promise<FloorResult> {
  const copies = objects.map((object) => floorCopy(object, version));
  const limit = pLimit(clustersAtOnce);
  const failures: string[] = [];
  const started = performance.now();
  await Promise.all(
    clients.map((client) =>
      limit(async () => {
        const result = await applyObjects(client, copies, {
          fieldManager: FIELD_MANAGER,
          force: true,
        });
        failures.push(...result.failed.map((failure) => failure.reason));
      }),
    ),
  );
  return {
    applySeconds: (performance.now() - started) / 1000,
    requests: clients.length * copies.length,
    failures,
  };
}

/**
 * The floor's clients, opened against every cluster: `warmUp` is the untimed pass, `measure`
 * the timed one (run each in a bench phase of its own, so the timed pass's CPU is its own).
 */
export function openFloor({
  clusters,
  objects,
  clustersAtOnce,
  requestsPerCluster,
}: {
  clusters: readonly SimClusterAddress[];
  objects: readonly KubeObject[];
  clustersAtOnce: number;
  requestsPerCluster: number;
}): { warmUp(): Promise<FloorResult>; measure(): Promise<FloorResult>; close(): void } {
  const clients = clusters.map((cluster) =>
    createClusterClient(
      {
        apiServerUrl: cluster.url,
        caData: cluster.caData,
        insecureSkipTlsVerify: false,
        credentials: { kind: 'token', token: cluster.token },
      },
      { concurrency: requestsPerCluster },
    ),
  );
  return {
    warmUp: () => pass(clients, objects, clustersAtOnce, 'warm-up'),
    measure: () => pass(clients, objects, clustersAtOnce, 'timed'),
    close: () => {
      for (const client of clients) client.close();
    },
  };
}
