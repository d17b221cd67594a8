import { hashSecret } from '../auth/tokens.ts';
import type { CoreContext } from '../context.ts';
import type { AgentPrincipal } from './agent-principal.ts';
import { isAgentCredentialShaped } from './agent-secrets.ts';

/**
 * The agent behind a Bearer credential, or null for an unknown, revoked or expired one (the
 * edge answers 401 alike, so a caller learns nothing about which credentials exist). A
 * credential whose cluster was deleted is gone with it.
 */
export async function authenticateAgent({
  ctx,
  credential,
}: {
  ctx: Pick<CoreContext, 'db' | 'now'>;
  credential: string | undefined;
}): Promise<AgentPrincipal | null> {
  if (!credential || !isAgentCredentialShaped(credential)) return null;
  const row = await ctx.db.agentCredential.findUnique({
    where: { secretHash: hashSecret(credential) },
    include: {
      cluster: { select: { id: true, name: true, workspaceId: true, connectionKind: true } },
    },
  });
  if (!row || row.revokedAt) return null;
  if (row.expiresAt && row.expiresAt <= ctx.now()) return null;
  if (row.cluster.connectionKind !== 'agent' || row.cluster.workspaceId !== row.workspaceId)
    return null;
  return {
    kind: 'agent',
    credentialId: row.id,
    clusterId: row.cluster.id,
    clusterName: row.cluster.name,
    workspaceId: row.workspaceId,
  };
}
