import type { Cluster } from '@flotilla/db';

export interface ClusterDto {
  id: string;
  name: string;
  labels: Record<string, string>;
  /** Null for an agent cluster: Flotilla keeps no address of it. */
  apiServerUrl: string | null;
  /** direct: the worker pushes over apiServerUrl; agent: an agent in the cluster pulls. */
  connectionKind: 'direct' | 'agent';
  credentialKind: string;
  /** Credentials are write-only: a response says they are set, never what they are. */
  hasCredentials: boolean;
  hasCaData: boolean;
  isInsecure: boolean;
  isSimulated: boolean;
  connectivity: {
    state: 'Online' | 'Offline' | 'Unknown';
    lastSeenAt: string | null;
    kubernetesVersion: string | null;
    message: string;
  };
  /** Agent clusters: what the agent said in its last heartbeat; null for a direct cluster. */
  agent: {
    version: string | null;
    heartbeatSeconds: number | null;
    lastHeartbeatAt: string | null;
  } | null;
  createdAt: string;
  updatedAt: string;
}

export function labelsOf(value: unknown): Record<string, string> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    ),
  );
}

export function toClusterDto(cluster: Cluster): ClusterDto {
  return {
    id: cluster.id,
    name: cluster.name,
    labels: labelsOf(cluster.labels),
    apiServerUrl: cluster.apiServerUrl,
    connectionKind: cluster.connectionKind,
    credentialKind: cluster.credentialKind,
    hasCredentials: (cluster.credentials?.length ?? 0) > 0,
    hasCaData: Boolean(cluster.caData),
    isInsecure: cluster.insecureSkipTlsVerify,
    isSimulated: cluster.isSimulated,
    connectivity: {
      state: cluster.connectivity,
      lastSeenAt: cluster.lastSeenAt?.toISOString() ?? null,
      kubernetesVersion: cluster.kubernetesVersion,
      message: cluster.connectivityMessage,
    },
    agent:
      cluster.connectionKind === 'agent'
        ? {
            version: cluster.agentVersion,
            heartbeatSeconds: cluster.agentHeartbeatSeconds,
            lastHeartbeatAt: cluster.lastHeartbeatAt?.toISOString() ?? null,
          }
        : null,
    createdAt: cluster.createdAt.toISOString(),
    updatedAt: cluster.updatedAt.toISOString(),
  };
}
