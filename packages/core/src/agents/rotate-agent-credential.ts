import { hashSecret } from '../auth/tokens.ts';
import { auditRow } from '../audit/record-audit.ts';
import type { RequestOrigin } from '../auth/principal.ts';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { AgentPrincipal } from './agent-principal.ts';
import { generateAgentCredential } from './agent-secrets.ts';

/** How long the credential being replaced keeps working: time to store the new one. */
export const ROTATION_GRACE_MS = 3600_000;

/**
 * A new credential for the calling agent; the one it called with stops working after
 * ROTATION_GRACE_MS, so an agent that fails to store the new one still gets in to try again.
 * The new credential is in this answer only; Postgres keeps its sha256.
 */
export async function rotateAgentCredential({
  ctx,
  agent,
  origin,
}: {
  ctx: Pick<CoreContext, 'db' | 'now'>;
  agent: AgentPrincipal;
  origin?: RequestOrigin;
}): Promise<{ credential: string; previousExpiresAt: string }> {
  const { credential, prefix } = generateAgentCredential();
  const now = ctx.now();
  const graceEnd = new Date(now.getTime() + ROTATION_GRACE_MS);
  await ctx.db.$transaction(async (tx) => {
    const current = await tx.agentCredential.updateMany({
      where: {
        id: agent.credentialId,
        revokedAt: null,
        OR: [{ expiresAt: null }, { expiresAt: { gt: graceEnd } }],
      },
      data: { expiresAt: graceEnd },
    });
    // Already rotated once (expiring): rotating again from it would chain grace periods.
    if (current.count !== 1)
      throw new AppError('Conflict', 'this credential was already replaced; use the newer one');
    const id = newId();
    await tx.agentCredential.create({
      data: {
        id,
        workspaceId: agent.workspaceId,
        clusterId: agent.clusterId,
        prefix,
        secretHash: hashSecret(credential),
      },
    });
    await tx.auditEntry.create({
      data: auditRow({
        workspaceId: agent.workspaceId,
        actor: { kind: 'system', id: agent.credentialId, label: `agent of ${agent.clusterName}` },
        ...(origin ? { origin } : {}),
        action: 'agent.rotate-credential',
        objectType: 'cluster',
        objectId: agent.clusterId,
        details: { credential: prefix, previousExpiresAt: graceEnd.toISOString() },
      }),
    });
  });
  return { credential, previousExpiresAt: graceEnd.toISOString() };
}
