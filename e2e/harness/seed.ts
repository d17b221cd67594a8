import type { Platform } from '@flotilla/testkit';
import { apiJson } from './platform.ts';

export const SEED_STATES = [
  'Ready',
  'Ready',
  'Ready',
  'Ready',
  'NotReady',
  'Modified',
  'OutOfSync',
  'Pending',
  'WaitApplied',
  'ErrApplied',
  'Offline',
] as const;

export type SeedState = (typeof SEED_STATES)[number];

export interface SeedCluster {
  name: string;
  labels: Record<string, string>;
}

export interface Seeded {
  workspaceId: string;
  clusterIds: string[];
  bundleIds: string[];
  gitRepoId: string;
}

/** The workspace the bootstrap token (and the first admin) works in. */
export async function defaultWorkspaceId(platform: Platform): Promise<string> {
  const session = await apiJson<{ workspace: { id: string } }>(platform, '/api/v1/auth/session');
  return session.workspace.id;
}

/**
 * Writes a fleet straight into the test database (the way a long-running installation would
 * have it), bypassing registration and git: clusters, one GitRepo with its bundles, and a
 * deployment per (cluster, bundle) for which `stateOf` gives a state. Nothing is probed or
 * fetched: run it with the worker stopped.
 */
export async function seedFleet(
  platform: Platform,
  {
    clusters,
    bundleNames,
    stateOf,
  }: {
    clusters: SeedCluster[];
    bundleNames: string[];
    stateOf: (clusterIndex: number, bundleIndex: number) => SeedState | null;
  },
): Promise<Seeded> {
  const db = platform.database.db;
  const workspaceId = await defaultWorkspaceId(platform);
  const farFuture = new Date('2100-01-01T00:00:00Z');
  const now = new Date();
  const clusterIds = clusters.map((_, index) => `seedcluster${String(index).padStart(5, '0')}`);
  const bundleIds = bundleNames.map((_, index) => `seedbundle${String(index).padStart(3, '0')}`);
  const gitRepoId = 'seedrepo0001';
  await db.cluster.createMany({
    data: clusters.map((cluster, index) => ({
      id: clusterIds[index]!,
      workspaceId,
      name: cluster.name,
      labels: cluster.labels,
      apiServerUrl: `https://10.0.${Math.floor(index / 250)}.${index % 250}:6443`,
      credentials: Buffer.from('not-a-sealed-secret'),
      credentialKind: 'token',
      isSimulated: true,
      connectivity: 'Online',
      lastSeenAt: now,
      kubernetesVersion: 'v1.30.1',
      nextProbeAt: farFuture,
      nextMonitorAt: farFuture,
    })),
  });
  await db.gitRepo.create({
    data: {
      id: gitRepoId,
      workspaceId,
      name: 'fleet-apps',
      url: 'https://example.invalid/fleet-apps.git',
      state: 'Ready',
      commit: 'a'.repeat(40),
      fetchedAt: now,
      nextPollAt: farFuture,
    },
  });
  await db.bundle.createMany({
    data: bundleNames.map((name, index) => ({
      id: bundleIds[index]!,
      workspaceId,
      gitRepoId,
      name,
      path: `apps/${name}`,
      commit: 'a'.repeat(40),
    })),
  });
  const rows: {
    id: string;
    workspaceId: string;
    bundleId: string;
    clusterId: string;
    state: SeedState;
    message: string;
  }[] = [];
  clusterIds.forEach((clusterId, clusterIndex) => {
    bundleIds.forEach((bundleId, bundleIndex) => {
      const state = stateOf(clusterIndex, bundleIndex);
      if (state)
        rows.push({
          id: `seeddep${clusterIndex}x${bundleIndex}`,
          workspaceId,
          bundleId,
          clusterId,
          state,
          message: state === 'Ready' ? '' : `seeded ${state}`,
        });
    });
  });
  for (let start = 0; start < rows.length; start += 5000) {
    await db.bundleDeployment.createMany({ data: rows.slice(start, start + 5000) });
  }
  return { workspaceId, clusterIds, bundleIds, gitRepoId };
}
