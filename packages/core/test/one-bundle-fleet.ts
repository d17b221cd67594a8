import type { Db } from '@flotilla/db';

export const COMMIT = 'c'.repeat(40);
export const HASH = 'a'.repeat(64);

/**
 * What a plan needs and nothing more: a workspace with one Online cluster ("edge") and one
 * bundle ("web") of a repository targeting it, rendered at COMMIT to the revision HASH (one
 * object).
 */
export async function oneBundleFleet(
  db: Db,
  workspaceName: string,
): Promise<{ workspaceId: string; clusterId: string; bundleId: string }> {
  const workspaceId = (await db.workspace.create({ data: { name: workspaceName } })).id;
  const cluster = await db.cluster.create({
    data: {
      workspaceId,
      name: 'edge',
      apiServerUrl: 'https://10.0.0.1',
      credentials: Buffer.from('sealed'),
      credentialKind: 'token',
      connectivity: 'Online',
    },
  });
  const repo = await db.gitRepo.create({
    data: {
      workspaceId,
      name: 'apps',
      url: 'https://git.example/apps.git',
      targets: [{ clusterName: 'edge' }],
    },
  });
  const bundle = await db.bundle.create({
    data: { workspaceId, gitRepoId: repo.id, name: 'web', path: 'web', commit: COMMIT },
  });
  await db.bundleRevision.create({
    data: { workspaceId, hash: HASH, objects: [], deployOptions: {}, resourceCount: 1 },
  });
  await db.bundleRender.create({
    data: { bundleId: bundle.id, commit: COMMIT, customization: '', revisionHash: HASH },
  });
  return { workspaceId, clusterId: cluster.id, bundleId: bundle.id };
}
