import { forWorkspace } from '@flotilla/db';
import type { Principal, RequestOrigin } from '../auth/principal.ts';
import { auditedWrite } from '../audit/audited-write.ts';
import type { CoreContext } from '../context.ts';
import { AppError, toFieldErrors } from '../errors.ts';
import { issueRegistrationToken, type AgentRegistration } from './issue-registration-token.ts';
import { issueRegistrationTokenInput } from './schemas.ts';

/** A new one-time registration token for an existing agent cluster (reinstall, after a revoke). */
export async function createRegistrationToken({
  ctx,
  principal,
  origin,
  clusterId,
  input: rawInput,
  publicUrl,
}: {
  ctx: Pick<CoreContext, 'db' | 'now'>;
  principal: Principal;
  origin?: RequestOrigin;
  clusterId: string;
  input: unknown;
  publicUrl: string;
}): Promise<AgentRegistration> {
  const parsed = issueRegistrationTokenInput.safeParse(rawInput ?? {});
  if (!parsed.success) throw AppError.validation(toFieldErrors(parsed.error.issues));
  const db = forWorkspace(ctx.db, principal.workspaceId);
  const cluster = await db.cluster.findUnique({ where: { id: clusterId } });
  if (!cluster) throw AppError.notFound('cluster');
  if (cluster.connectionKind !== 'agent')
    throw new AppError('Conflict', `cluster ${cluster.name} is direct: it has no agent`);
  const { id: _id, ...registration } = await auditedWrite({
    ctx,
    principal,
    origin,
    write: (tx) =>
      issueRegistrationToken({
        tx,
        workspaceId: principal.workspaceId,
        clusterId,
        createdById: principal.userId ?? null,
        expiresInHours: parsed.data.tokenExpiresInHours,
        now: ctx.now(),
        publicUrl,
      }),
    audit: (issued) => ({
      action: 'agent.issue-token',
      objectType: 'cluster',
      objectId: clusterId,
      details: {
        name: cluster.name,
        registrationToken: issued.tokenPrefix,
        expiresAt: issued.expiresAt,
      },
    }),
  });
  return registration;
}
