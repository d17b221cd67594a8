import { forWorkspace } from '@flotilla/db';
import type { WorkerContext } from '../worker-context.ts';
import { openConnection } from './cluster-credentials.ts';
import { probeConnection, type ClusterConnectionTest } from './test-cluster-connection.ts';

/**
 * The worker's half of "Test connection" on a stored cluster: its sealed token, opened here
 * (never in the web), with the URL or CA the edit form is changing. Saves nothing.
 */
export async function testStoredClusterConnection({
  ctx,
  workspaceId,
  clusterId,
  apiServerUrl,
  caData,
}: {
  ctx: Pick<WorkerContext, 'db' | 'secrets'>;
  workspaceId: string;
  clusterId: string;
  apiServerUrl?: string | undefined;
  caData?: string | null | undefined;
}): Promise<ClusterConnectionTest> {
  const cluster = await forWorkspace(ctx.db, workspaceId).cluster.findUnique({
    where: { id: clusterId },
  });
  if (!cluster || cluster.connectionKind === 'agent' || !cluster.credentials) {
    return { ok: false, reason: 'Error', message: 'this cluster has no stored connection to test' };
  }
  let stored;
  try {
    stored = openConnection(ctx.secrets, cluster);
  } catch {
    return { ok: false, reason: 'Error', message: 'the stored credentials could not be opened' };
  }
  const ca = caData === undefined ? stored.caData : caData;
  return probeConnection({
    ...stored,
    ...(apiServerUrl !== undefined ? { apiServerUrl } : {}),
    ...(ca ? { caData: ca } : { caData: undefined }),
  });
}
