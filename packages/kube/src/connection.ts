import { KubeConfig } from '@kubernetes/client-node';
import { z } from 'zod';

/**
 * Everything Flotilla needs to reach one cluster, and nothing that could make it run a command
 * or read a file: an allow-listed subset of a kubeconfig. PEM material is base64, as in
 * kubeconfig's `*-data` fields.
 */
export const clusterConnectionSchema = z.object({
  apiServerUrl: z.string().min(1),
  caData: z.string().min(1).optional(),
  insecureSkipTlsVerify: z.boolean(),
  credentials: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('token'), token: z.string().min(1) }),
    z.object({
      kind: z.literal('clientCertificate'),
      certData: z.string().min(1),
      keyData: z.string().min(1),
    }),
  ]),
});

export type ClusterConnection = z.infer<typeof clusterConnectionSchema>;

/**
 * A client-node KubeConfig built from the allow-listed connection only (loadFromOptions, never
 * loadFromString/loadFromFile): there is no exec, auth-provider or file field for it to act on.
 */
export function toKubeConfig(connection: ClusterConnection): KubeConfig {
  const { credentials } = connection;
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [
      {
        name: 'cluster',
        server: connection.apiServerUrl,
        caData: connection.caData,
        skipTLSVerify: connection.insecureSkipTlsVerify,
      },
    ],
    users: [
      credentials.kind === 'token'
        ? { name: 'user', token: credentials.token }
        : { name: 'user', certData: credentials.certData, keyData: credentials.keyData },
    ],
    contexts: [{ name: 'flotilla', cluster: 'cluster', user: 'user' }],
    currentContext: 'flotilla',
  });
  return kubeConfig;
}
