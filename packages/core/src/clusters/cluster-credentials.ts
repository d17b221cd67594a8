import { createHash } from 'node:crypto';
import type { Cluster } from '@flotilla/db';
import type { ClusterConnection } from '@flotilla/kube';
import type { SecretBox } from '../secrets/secret-box.ts';

type SealedCredentials = ClusterConnection['credentials'];

/** Only the credentials are sealed; URL and CA are not secret and the UI shows them. */
export function sealConnection(
  secrets: SecretBox,
  clusterId: string,
  connection: ClusterConnection,
) {
  return secrets.seal(connection.credentials, clusterId);
}

/**
 * Decrypted at the moment of use, inside the worker; never logged, never returned. An agent
 * cluster has no connection: nothing in Flotilla may try to reach it.
 */
export function openConnection(secrets: SecretBox, cluster: Cluster): ClusterConnection {
  if (cluster.connectionKind === 'agent' || !cluster.apiServerUrl || !cluster.credentials) {
    throw new Error(`cluster ${cluster.name} is reached through its agent, not by Flotilla`);
  }
  return {
    apiServerUrl: cluster.apiServerUrl,
    ...(cluster.caData ? { caData: cluster.caData } : {}),
    insecureSkipTlsVerify: cluster.insecureSkipTlsVerify,
    credentials: secrets.open<SealedCredentials>(cluster.credentials, cluster.id),
  };
}

/**
 * Changes whenever the URL, CA or credentials change (and only then: not on every status
 * write), so the client pool keeps one client per cluster across probes and deploys.
 */
export function credentialsVersion(cluster: Cluster): string {
  return createHash('sha256')
    .update(cluster.apiServerUrl ?? '')
    .update(cluster.caData ?? '')
    .update(cluster.insecureSkipTlsVerify ? '1' : '0')
    .update(cluster.credentials ?? new Uint8Array())
    .digest('hex')
    .slice(0, 16);
}
