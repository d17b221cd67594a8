import { forWorkspace } from '@flotilla/db';
import {
  checkApiServerUrl,
  createClusterClient,
  probeCluster,
  UnsafeUrlError,
  type ClusterConnection,
} from '@flotilla/kube';
import { z } from 'zod';
import type { Principal } from '../auth/principal.ts';
import type { CoreContext } from '../context.ts';
import { AppError, toFieldErrors } from '../errors.ts';
import { openConnection } from './cluster-credentials.ts';
import { connectionFrom } from './register-cluster.ts';
import { registerClusterInput, updateClusterInput } from './schemas.ts';

/**
 * What "Test connection" sends: the register form's fields (URL + token + CA, or a kubeconfig),
 * or, from the edit form, `clusterId` with only the fields being changed (the stored token and
 * CA fill in the rest, opened here and never sent back).
 */
const editConnectionTest = z
  .object({
    clusterId: z.string().min(1).max(64),
    apiServerUrl: updateClusterInput.shape.apiServerUrl,
    caData: updateClusterInput.shape.caData,
    token: updateClusterInput.shape.token,
  })
  .strict();

/** The body as OpenAPI describes it; a new connection is checked by registerClusterInput. */
export const testClusterConnectionInput = z.union([
  editConnectionTest,
  z.object({
    apiServerUrl: z.string().optional(),
    caData: z.string().optional(),
    token: z.string().optional(),
    kubeconfig: z.string().optional(),
    context: z.string().optional(),
    insecureSkipTlsVerify: z.boolean().optional(),
  }),
]);

export type ClusterConnectionTest =
  | { ok: true; kubernetesVersion: string; message: string }
  | { ok: false; reason: string; message: string };

/** Short: a person waits for the answer in the form. */
const TEST_TIMEOUT_MS = 5000;

/**
 * GET /version with the given connection, saving nothing: "Test connection" on the register and
 * edit forms. The same URL policy as registration applies (no metadata or refused addresses).
 */
export async function testClusterConnection({
  ctx,
  principal,
  input,
}: {
  ctx: CoreContext;
  principal: Principal;
  input: unknown;
}): Promise<ClusterConnectionTest> {
  const connection = await connectionToTest(ctx, principal, input);
  try {
    await checkApiServerUrl(connection.apiServerUrl);
  } catch (error) {
    if (error instanceof UnsafeUrlError)
      throw AppError.validation([{ path: 'apiServerUrl', message: error.message }]);
    throw error;
  }
  const client = createClusterClient(connection, { timeoutMs: TEST_TIMEOUT_MS });
  try {
    const result = await probeCluster(client, { timeoutMs: TEST_TIMEOUT_MS });
    return result.ok
      ? {
          ok: true,
          kubernetesVersion: result.kubernetesVersion,
          message: `connected: Kubernetes ${result.kubernetesVersion}`,
        }
      : result;
  } finally {
    client.close();
  }
}

async function connectionToTest(
  ctx: CoreContext,
  principal: Principal,
  raw: unknown,
): Promise<ClusterConnection> {
  const isEdit = typeof raw === 'object' && raw !== null && 'clusterId' in raw;
  if (!isEdit) {
    const parsed = registerClusterInput.safeParse({ name: 'connection test', ...(raw as object) });
    if (!parsed.success) throw AppError.validation(toFieldErrors(parsed.error.issues));
    return connectionFrom(parsed.data);
  }
  const parsed = editConnectionTest.safeParse(raw);
  if (!parsed.success) throw AppError.validation(toFieldErrors(parsed.error.issues));
  const { clusterId, apiServerUrl, caData, token } = parsed.data;
  const cluster = await forWorkspace(ctx.db, principal.workspaceId).cluster.findUnique({
    where: { id: clusterId },
  });
  if (!cluster) throw AppError.notFound('cluster');
  if (cluster.connectionKind === 'agent' || !cluster.credentials) {
    throw AppError.validation([
      { path: 'clusterId', message: 'this cluster connects through its agent: nothing to test' },
    ]);
  }
  const stored = openConnection(ctx.secrets, cluster);
  const ca = caData === undefined ? stored.caData : (caData?.replace(/\s+/g, '') ?? undefined);
  return {
    apiServerUrl: apiServerUrl ?? stored.apiServerUrl,
    ...(ca ? { caData: ca } : {}),
    insecureSkipTlsVerify: stored.insecureSkipTlsVerify,
    credentials: token === undefined ? stored.credentials : { kind: 'token', token },
  };
}
