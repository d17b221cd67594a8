/** An authenticated agent: it may see and report its own cluster, and nothing else. */
export interface AgentPrincipal {
  kind: 'agent';
  /** The AgentCredential row. */
  credentialId: string;
  clusterId: string;
  clusterName: string;
  workspaceId: string;
}
