import { isUniqueViolation } from '@flotilla/db';
import type { Principal, RequestOrigin } from '../auth/principal.ts';
import { auditedWrite } from '../audit/audited-write.ts';
import { requestReplanForWorkspace } from '../bundles/request-replan.ts';
import { toClusterDto, type ClusterDto } from '../clusters/serialize.ts';
import type { CoreContext } from '../context.ts';
import { AppError, toFieldErrors } from '../errors.ts';
import { newId } from '../ids.ts';
import { issueRegistrationToken, type AgentRegistration } from './issue-registration-token.ts';
import { registerAgentClusterInput } from './schemas.ts';

/**
 * Registers a cluster reached through an agent: a name and labels, no URL and no credential
 * (Flotilla never connects to it), and a one-time registration token with the command that
 * installs the agent. The cluster is Unknown until the agent's first heartbeat. Planning and
 * targeting treat it like any other cluster; its deployments are applied by the agent.
 */
export async function registerAgentCluster({
  ctx,
  principal,
  origin,
  input: rawInput,
  publicUrl,
}: {
  ctx: CoreContext;
  principal: Principal;
  origin?: RequestOrigin;
  input: unknown;
  /** Where agents reach Flotilla (FLOTILLA_PUBLIC_URL, or the request's own origin). */
  publicUrl: string;
}): Promise<ClusterDto & { registration: AgentRegistration }> {
  const parsed = registerAgentClusterInput.safeParse(rawInput);
  if (!parsed.success) throw AppError.validation(toFieldErrors(parsed.error.issues));
  const input = parsed.data;
  const { workspaceId } = principal;
  const id = newId();
  const now = ctx.now();
  const { cluster, registration } = await auditedWrite({
    ctx,
    principal,
    origin,
    write: async (tx) => {
      const cluster = await tx.cluster.create({
        data: {
          id,
          workspaceId,
          name: input.name,
          labels: input.labels,
          apiServerUrl: null,
          credentials: null,
          credentialKind: 'none',
          connectionKind: 'agent',
          connectivityMessage: 'waiting for the agent to register',
        },
      });
      const registration = await issueRegistrationToken({
        tx,
        workspaceId,
        clusterId: id,
        createdById: principal.userId ?? null,
        expiresInHours: input.tokenExpiresInHours,
        now,
        publicUrl,
      });
      return { cluster, registration };
    },
    audit: ({ registration }) => ({
      action: 'cluster.create',
      objectType: 'cluster',
      objectId: id,
      details: {
        name: input.name,
        labels: input.labels,
        connectionKind: 'agent',
        registrationToken: registration.tokenPrefix,
        expiresAt: registration.expiresAt,
      },
    }),
  }).catch((error: unknown) => {
    if (isUniqueViolation(error))
      throw new AppError('Conflict', `a cluster named "${input.name}" already exists`);
    throw error;
  });
  await requestReplanForWorkspace({ ctx, workspaceId });
  const { id: _tokenId, ...shown } = registration;
  return { ...toClusterDto(cluster), registration: shown };
}
