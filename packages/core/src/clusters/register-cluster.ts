import { forWorkspace, isUniqueViolation } from '@flotilla/db';
import {
  checkApiServerUrl,
  KubeconfigError,
  parseKubeconfig,
  UnsafeUrlError,
  type ClusterConnection,
} from '@flotilla/kube';
import type { Principal, RequestOrigin } from '../auth/principal.ts';
import { auditedWrite } from '../audit/audited-write.ts';
import type { CoreContext } from '../context.ts';
import { AppError, toFieldErrors } from '../errors.ts';
import { newId } from '../ids.ts';
import { requestReplanForWorkspace } from '../bundles/request-replan.ts';
import { registerClusterInput, type RegisterClusterInput } from './schemas.ts';
import { toClusterDto, type ClusterDto } from './serialize.ts';
import { sealConnection } from './cluster-credentials.ts';

export interface RegisterClusterOptions {
  ctx: CoreContext;
  principal: Principal;
  origin?: RequestOrigin;
  input: RegisterClusterInput;
  /** Simulated clusters (the demo, benchmarks) are marked so the UI can say so. */
  isSimulated?: boolean;
}

/** The connection a registration describes: a parsed kubeconfig, or URL + CA + token. */
export function connectionFrom(
  input: ReturnType<typeof registerClusterInput.parse>,
): ClusterConnection {
  if (input.kubeconfig !== undefined) {
    try {
      return parseKubeconfig(input.kubeconfig, {
        allowInsecure: input.insecureSkipTlsVerify,
        ...(input.context ? { context: input.context } : {}),
      });
    } catch (error) {
      if (error instanceof KubeconfigError) {
        throw AppError.validation([{ path: `kubeconfig.${error.path}`, message: error.message }]);
      }
      throw error;
    }
  }
  return {
    apiServerUrl: input.apiServerUrl!,
    ...(input.caData ? { caData: input.caData.replace(/\s+/g, '') } : {}),
    insecureSkipTlsVerify: input.insecureSkipTlsVerify,
    credentials: { kind: 'token', token: input.token! },
  };
}

/**
 * Brings a cluster under Flotilla: validate, refuse unsafe URLs, seal the credentials with the
 * new row's id as AAD, save, and queue the first connectivity probe. An unreachable cluster is
 * still saved: the probe will show it Offline with the reason.
 */
export async function registerCluster({
  ctx,
  principal,
  origin,
  input: rawInput,
  isSimulated = false,
}: RegisterClusterOptions): Promise<ClusterDto> {
  const parsed = registerClusterInput.safeParse(rawInput);
  if (!parsed.success) throw AppError.validation(toFieldErrors(parsed.error.issues));
  const input = parsed.data;
  const connection = connectionFrom(input);
  try {
    await checkApiServerUrl(connection.apiServerUrl);
  } catch (error) {
    if (error instanceof UnsafeUrlError) {
      throw AppError.validation([
        {
          path:
            input.kubeconfig !== undefined
              ? 'kubeconfig.clusters[0].cluster.server'
              : 'apiServerUrl',
          message: error.message,
        },
      ]);
    }
    throw error;
  }
  const { workspaceId } = principal;
  const db = forWorkspace(ctx.db, workspaceId);
  if (await db.cluster.findFirst({ where: { name: input.name } })) {
    throw new AppError('Conflict', `a cluster named "${input.name}" already exists`);
  }
  const id = newId();
  const cluster = await auditedWrite({
    ctx,
    principal,
    origin,
    write: (tx) =>
      tx.cluster.create({
        data: {
          id,
          workspaceId,
          name: input.name,
          labels: input.labels,
          apiServerUrl: connection.apiServerUrl,
          caData: connection.caData ?? null,
          insecureSkipTlsVerify: connection.insecureSkipTlsVerify,
          credentials: sealConnection(ctx.secrets, id, connection),
          credentialKind: connection.credentials.kind,
          isSimulated,
        },
      }),
    audit: () => ({
      action: 'cluster.create',
      objectType: 'cluster',
      objectId: id,
      details: { name: input.name, labels: input.labels, apiServerUrl: connection.apiServerUrl },
    }),
  }).catch((error: unknown) => {
    // Two requests racing for the same name: the unique index decides.
    if (isUniqueViolation(error)) {
      throw new AppError('Conflict', `a cluster named "${input.name}" already exists`);
    }
    throw error;
  });
  await Promise.all([
    ctx.queues.enqueueProbe({ clusterId: id }),
    requestReplanForWorkspace({ ctx, workspaceId }),
  ]);
  return toClusterDto(cluster);
}
