import { hashSecret } from '../auth/tokens.ts';
import { auditRow } from '../audit/record-audit.ts';
import type { RequestOrigin } from '../auth/principal.ts';
import type { CoreContext } from '../context.ts';
import { AppError, toFieldErrors } from '../errors.ts';
import { newId } from '../ids.ts';
import { generateAgentCredential } from './agent-secrets.ts';
import {
  REGISTRATION_TOKEN_REFUSED,
  findUsableRegistrationToken,
} from './find-registration-token.ts';
import { exchangeRegistrationTokenInput } from './schemas.ts';

/**
 * Trades a registration token for the agent's own credential, once: the token is marked used
 * by a conditional UPDATE in the transaction that stores the credential's sha256, so two agents
 * racing with one token get one credential between them. The credential is in this answer and
 * nowhere else.
 */
export async function exchangeRegistrationToken({
  ctx,
  origin,
  input: rawInput,
}: {
  ctx: Pick<CoreContext, 'db' | 'now' | 'logger'>;
  origin?: RequestOrigin;
  input: unknown;
}): Promise<{ credential: string; clusterId: string; clusterName: string }> {
  const parsed = exchangeRegistrationTokenInput.safeParse(rawInput);
  if (!parsed.success) throw AppError.validation(toFieldErrors(parsed.error.issues));
  const token = await findUsableRegistrationToken({ ctx, token: parsed.data.token });
  const { credential, prefix } = generateAgentCredential();
  const now = ctx.now();
  await ctx.db.$transaction(async (tx) => {
    const claimed = await tx.agentRegistrationToken.updateMany({
      where: { id: token.id, usedAt: null, revokedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    if (claimed.count !== 1) throw new AppError('Unauthorized', REGISTRATION_TOKEN_REFUSED);
    const credentialId = newId();
    await tx.agentCredential.create({
      data: {
        id: credentialId,
        workspaceId: token.workspaceId,
        clusterId: token.clusterId,
        prefix,
        secretHash: hashSecret(credential),
      },
    });
    await tx.cluster.update({
      where: { id: token.clusterId },
      data: {
        connectivityMessage: 'agent registered; waiting for its first heartbeat',
        ...(parsed.data.agentVersion ? { agentVersion: parsed.data.agentVersion } : {}),
      },
    });
    await tx.auditEntry.create({
      data: auditRow({
        workspaceId: token.workspaceId,
        actor: { kind: 'system', id: credentialId, label: `agent of ${token.cluster.name}` },
        ...(origin ? { origin } : {}),
        action: 'agent.register',
        objectType: 'cluster',
        objectId: token.clusterId,
        details: { registrationToken: token.prefix, credential: prefix },
      }),
    });
  });
  ctx.logger.info({ clusterId: token.clusterId, credential: prefix }, 'agent registered');
  return { credential, clusterId: token.clusterId, clusterName: token.cluster.name };
}
