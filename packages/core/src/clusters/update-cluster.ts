import { forWorkspace } from '@flotilla/db';
import { checkApiServerUrl, UnsafeUrlError } from '@flotilla/kube';
import type { Principal, RequestOrigin } from '../auth/principal.ts';
import { requestReplanForWorkspace } from '../bundles/request-replan.ts';
import { auditedWrite } from '../audit/audited-write.ts';
import type { CoreContext } from '../context.ts';
import { AppError, toFieldErrors } from '../errors.ts';
import { sealConnection } from './cluster-credentials.ts';
import { updateClusterInput, type UpdateClusterInput } from './schemas.ts';
import { labelsOf, toClusterDto, type ClusterDto } from './serialize.ts';

/**
 * PATCH: `labels` replaces the whole label set (a change re-plans every bundle); `apiServerUrl`,
 * `caData` and `token` change how a direct cluster is reached (a new probe follows at once).
 */
export async function updateCluster({
  ctx,
  principal,
  origin,
  clusterId,
  input: rawInput,
}: {
  ctx: CoreContext;
  principal: Principal;
  origin?: RequestOrigin;
  clusterId: string;
  input: UpdateClusterInput;
}): Promise<ClusterDto> {
  const parsed = updateClusterInput.safeParse(rawInput);
  if (!parsed.success) throw AppError.validation(toFieldErrors(parsed.error.issues));
  const input = parsed.data;
  const db = forWorkspace(ctx.db, principal.workspaceId);
  const before = await db.cluster.findUnique({ where: { id: clusterId } });
  if (!before) throw AppError.notFound('cluster');
  const connectionFields = (['apiServerUrl', 'caData', 'token'] as const).filter(
    (field) => input[field] !== undefined,
  );
  const isConnectionChange = connectionFields.length > 0;
  if (isConnectionChange && before.connectionKind === 'agent') {
    // An agent cluster is reached by its agent: Flotilla holds no address or token of it.
    throw AppError.validation(
      connectionFields.map((field) => ({
        path: field,
        message: 'cannot be set: this cluster connects through its agent',
      })),
    );
  }
  if (input.apiServerUrl !== undefined) {
    try {
      await checkApiServerUrl(input.apiServerUrl);
    } catch (error) {
      if (error instanceof UnsafeUrlError)
        throw AppError.validation([{ path: 'apiServerUrl', message: error.message }]);
      throw error;
    }
  }
  if (
    input.name &&
    input.name !== before.name &&
    (await db.cluster.findFirst({ where: { name: input.name } }))
  ) {
    throw new AppError('Conflict', `a cluster named "${input.name}" already exists`);
  }
  const updated = await auditedWrite({
    ctx,
    principal,
    origin,
    write: (tx) =>
      tx.cluster.update({
        where: { id: clusterId },
        data: {
          ...(input.labels ? { labels: input.labels } : {}),
          ...(input.name ? { name: input.name } : {}),
          ...(input.apiServerUrl !== undefined ? { apiServerUrl: input.apiServerUrl } : {}),
          ...(input.caData !== undefined
            ? { caData: input.caData === null ? null : input.caData.replace(/\s+/g, '') }
            : {}),
          ...(input.token !== undefined
            ? {
                // Sealed with the row's id as AAD, exactly as at registration.
                credentials: sealConnection(ctx.secrets, clusterId, {
                  apiServerUrl: input.apiServerUrl ?? before.apiServerUrl ?? '',
                  insecureSkipTlsVerify: before.insecureSkipTlsVerify,
                  credentials: { kind: 'token', token: input.token },
                }),
                credentialKind: 'token',
              }
            : {}),
        },
      }),
    audit: (cluster) => ({
      action: 'cluster.update',
      objectType: 'cluster',
      objectId: clusterId,
      details: {
        name: cluster.name,
        ...(input.labels
          ? { labelsBefore: labelsOf(before.labels), labelsAfter: input.labels }
          : {}),
        ...(input.apiServerUrl !== undefined
          ? { apiServerUrlBefore: before.apiServerUrl, apiServerUrlAfter: input.apiServerUrl }
          : {}),
        ...(input.caData !== undefined
          ? { caData: input.caData === null ? 'removed' : 'replaced' }
          : {}),
        // That the token changed, never what it is.
        ...(input.token !== undefined ? { token: 'replaced' } : {}),
      },
    }),
  });
  // Labels and names feed targeting: any bundle may now select a different set of clusters.
  await Promise.all([
    input.labels || input.name
      ? requestReplanForWorkspace({ ctx, workspaceId: principal.workspaceId })
      : undefined,
    isConnectionChange ? ctx.queues.enqueueProbe({ clusterId }) : undefined,
  ]);
  return toClusterDto(updated);
}
