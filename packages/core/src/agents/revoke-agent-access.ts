import { forWorkspace } from '@flotilla/db';
import type { Principal, RequestOrigin } from '../auth/principal.ts';
import { auditedWrite } from '../audit/audited-write.ts';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';

/**
 * Cuts an agent off: every credential of the cluster and every registration token not yet
 * used are revoked (the agent gets 401 from its next request on). The cluster and its
 * deployments stay; a new registration token lets an agent in again.
 */
export async function revokeAgentAccess({
  ctx,
  principal,
  origin,
  clusterId,
}: {
  ctx: Pick<CoreContext, 'db' | 'now'>;
  principal: Principal;
  origin?: RequestOrigin;
  clusterId: string;
}): Promise<{ credentialsRevoked: number; tokensRevoked: number }> {
  const db = forWorkspace(ctx.db, principal.workspaceId);
  const cluster = await db.cluster.findUnique({ where: { id: clusterId } });
  if (!cluster) throw AppError.notFound('cluster');
  if (cluster.connectionKind !== 'agent')
    throw new AppError('Conflict', `cluster ${cluster.name} is direct: it has no agent`);
  const now = ctx.now();
  return auditedWrite({
    ctx,
    principal,
    origin,
    write: async (tx) => {
      const [credentials, tokens] = await Promise.all([
        tx.agentCredential.updateMany({
          where: { clusterId, revokedAt: null },
          data: { revokedAt: now },
        }),
        tx.agentRegistrationToken.updateMany({
          where: { clusterId, revokedAt: null, usedAt: null },
          data: { revokedAt: now },
        }),
      ]);
      return { credentialsRevoked: credentials.count, tokensRevoked: tokens.count };
    },
    audit: (result) => ({
      action: 'agent.revoke',
      objectType: 'cluster',
      objectId: clusterId,
      details: { name: cluster.name, ...result },
    }),
  });
}
