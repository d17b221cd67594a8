import { z } from 'zod';
import type { ClusterClient } from './client.ts';
import { classifyError, type ClusterErrorReason } from './errors.ts';

export type ProbeResult =
  | { ok: true; kubernetesVersion: string }
  | { ok: false; reason: ClusterErrorReason; message: string };

// gitVersion is shown in the UI, and the server may be hostile: accept only what a version
// looks like (v1.20.2, v1.29.3-eks-adc7111, v1.28.5+k3s1), bounded.
const versionSchema = z.object({
  gitVersion: z.string().regex(/^v\d+\.\d+[\w.+-]{0,60}$/),
});

/** GET /version: is the cluster there, does it take our credentials, which Kubernetes is it. */
export async function probeCluster(
  client: ClusterClient,
  { timeoutMs = 5000 }: { timeoutMs?: number } = {},
): Promise<ProbeResult> {
  let body: unknown;
  try {
    body = await client.request({ method: 'GET', path: '/version', timeoutMs });
  } catch (error) {
    const { reason, message } = classifyError(error);
    return { ok: false, reason, message };
  }
  const version = versionSchema.safeParse(body);
  if (!version.success) {
    return {
      ok: false,
      reason: 'Error',
      message: 'the server did not answer like a Kubernetes API server',
    };
  }
  return { ok: true, kubernetesVersion: version.data.gitVersion };
}
