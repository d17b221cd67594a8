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
/** The worker's turn included (queue, probe): a little more than one probe. */
const WORKER_ANSWER_TIMEOUT_MS = 12_000;

const connectionTestAnswer = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), kubernetesVersion: z.string(), message: z.string() }),
  z.object({ ok: z.literal(false), reason: z.string(), message: z.string() }),
]);

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
  const isEdit = typeof input === 'object' && input !== null && 'clusterId' in input;
  if (!isEdit) {
    const parsed = registerClusterInput.safeParse({
      name: 'connection test',
      ...(input as object),
    });
    if (!parsed.success) throw AppError.validation(toFieldErrors(parsed.error.issues));
    return probeConnection(connectionFrom(parsed.data));
  }
  const parsed = editConnectionTest.safeParse(input);
  if (!parsed.success) throw AppError.validation(toFieldErrors(parsed.error.issues));
  const { clusterId, apiServerUrl, caData, token } = parsed.data;
  const cluster = await forWorkspace(ctx.db, principal.workspaceId).cluster.findUnique({
    where: { id: clusterId },
  });
  if (!cluster) throw AppError.notFound('cluster');
  if (cluster.connectionKind === 'agent' || !cluster.apiServerUrl) {
    throw AppError.validation([
      { path: 'clusterId', message: 'this cluster connects through its agent: nothing to test' },
    ]);
  }
  const url = apiServerUrl ?? cluster.apiServerUrl;
  await assertReachableUrl(url);
  if (token !== undefined) {
    // The token came with this request: URL and CA are not secret, nothing stored is opened.
    const ca = caData === undefined ? cluster.caData : caData;
    return probeConnection({
      apiServerUrl: url,
      ...(ca ? { caData: ca.replace(/\s+/g, '') } : {}),
      insecureSkipTlsVerify: cluster.insecureSkipTlsVerify,
      credentials: { kind: 'token', token },
    });
  }
  // The stored token is opened only in the worker: it tests, the web waits for the answer.
  const answer = await ctx.queues.requestConnectionTest(
    {
      clusterId,
      workspaceId: principal.workspaceId,
      ...(apiServerUrl !== undefined ? { apiServerUrl } : {}),
      ...(caData !== undefined ? { caData: caData?.replace(/\s+/g, '') ?? null } : {}),
    },
    { timeoutMs: WORKER_ANSWER_TIMEOUT_MS },
  );
  switch (answer.outcome) {
    case 'answered':
      return connectionTestAnswer.parse(answer.value);
    case 'failed':
      return { ok: false, reason: 'Error', message: 'the test could not run; see the worker log' };
    case 'timeout':
      return {
        ok: false,
        reason: 'Timeout',
        message: 'no answer from the worker in time (is it running?)',
      };
  }
}

async function assertReachableUrl(url: string): Promise<void> {
  try {
    await checkApiServerUrl(url);
  } catch (error) {
    if (error instanceof UnsafeUrlError)
      throw AppError.validation([{ path: 'apiServerUrl', message: error.message }]);
    throw error;
  }
}

/**
 * GET /version over a connection of its own (not the worker's pooled client: the URL or token
 * may differ from the stored ones), closed afterwards. The URL policy is checked first.
 */
export async function probeConnection(
  connection: ClusterConnection,
): Promise<ClusterConnectionTest> {
  await assertReachableUrl(connection.apiServerUrl);
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
