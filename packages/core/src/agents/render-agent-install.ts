import type { KubeObject } from '@flotilla/engine';
import type { CoreContext } from '../context.ts';
import { findUsableRegistrationToken } from './find-registration-token.ts';

export const AGENT_NAMESPACE = 'flotilla-agent';
export const AGENT_NAME = 'flotilla-agent';
/** The image the manifest runs; the Dockerfile's `agent` target builds it. */
export const DEFAULT_AGENT_IMAGE = 'ghcr.io/flotilla/flotilla-agent:0.1.0';

/**
 * The manifest `kubectl apply -f` installs the agent with: its Namespace, ServiceAccount, RBAC,
 * the Secret holding Flotilla's address and the registration token (the agent replaces the
 * token with its credential), and the Deployment. Reading it does not use the token up: the
 * exchange does, so a failed apply can be retried. Every document is JSON, YAML's subset.
 */
export async function renderAgentInstall({
  ctx,
  token,
  publicUrl,
  image = DEFAULT_AGENT_IMAGE,
}: {
  ctx: Pick<CoreContext, 'db' | 'now'>;
  token: string;
  publicUrl: string;
  image?: string;
}): Promise<string> {
  const row = await findUsableRegistrationToken({ ctx, token });
  const labels = { 'app.kubernetes.io/name': AGENT_NAME, 'app.kubernetes.io/part-of': 'flotilla' };
  const metadata = (name: string, namespaced = true) => ({
    name,
    ...(namespaced ? { namespace: AGENT_NAMESPACE } : {}),
    labels,
  });
  const objects: KubeObject[] = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: metadata(AGENT_NAMESPACE, false) },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: metadata(AGENT_NAME) },
    {
      // Bundles may hold any kind (CRDs, RBAC, cluster-scoped objects): the agent needs what
      // the worker's credentials of a direct cluster need. Narrow it if your bundles allow.
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: metadata(AGENT_NAME, false),
      rules: [
        { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
        { nonResourceURLs: ['*'], verbs: ['get'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: metadata(AGENT_NAME, false),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: AGENT_NAME },
      subjects: [{ kind: 'ServiceAccount', name: AGENT_NAME, namespace: AGENT_NAMESPACE }],
    },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: metadata(AGENT_NAME),
      type: 'Opaque',
      stringData: { url: publicUrl, registrationToken: token, clusterName: row.cluster.name },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: metadata(AGENT_NAME),
      spec: {
        replicas: 1,
        // Never two agents at once: both would apply and report.
        strategy: { type: 'Recreate' },
        selector: { matchLabels: { 'app.kubernetes.io/name': AGENT_NAME } },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: AGENT_NAME,
            securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000 },
            containers: [
              {
                name: 'agent',
                image,
                env: [
                  { name: 'FLOTILLA_AGENT_SECRET', value: AGENT_NAME },
                  {
                    name: 'FLOTILLA_AGENT_NAMESPACE',
                    valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } },
                  },
                ],
                resources: {
                  requests: { cpu: '50m', memory: '128Mi' },
                  limits: { memory: '512Mi' },
                },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  capabilities: { drop: ['ALL'] },
                },
              },
            ],
          },
        },
      },
    },
  ] as KubeObject[];
  return objects.map((object) => `---\n${JSON.stringify(object, null, 2)}\n`).join('');
}
