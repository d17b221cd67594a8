import { readFile } from 'node:fs/promises';
import { parseKubeconfig, type ClusterConnection } from '@flotilla/kube';

const SERVICE_ACCOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';

/**
 * How the agent reaches its own API server: a kubeconfig (tests, development; the same
 * allow-list as registration, so no exec plugins or file paths), or the Pod's ServiceAccount.
 */
export async function loadClusterConnection({
  kubeconfigPath,
  serviceHost: host,
  servicePort: port,
}: {
  kubeconfigPath?: string | undefined;
  serviceHost?: string | undefined;
  servicePort: string;
}): Promise<ClusterConnection> {
  if (kubeconfigPath)
    return parseKubeconfig(await readFile(kubeconfigPath, 'utf8'), { allowInsecure: false });
  if (!host)
    throw new Error('not in a cluster (no KUBERNETES_SERVICE_HOST) and no KUBECONFIG given');
  const [token, ca] = await Promise.all([
    readFile(`${SERVICE_ACCOUNT}/token`, 'utf8'),
    readFile(`${SERVICE_ACCOUNT}/ca.crt`),
  ]);
  const hostPart = host.includes(':') ? `[${host}]` : host;
  return {
    apiServerUrl: `https://${hostPart}:${port}`,
    caData: ca.toString('base64'),
    insecureSkipTlsVerify: false,
    credentials: { kind: 'token', token: token.trim() },
  };
}
