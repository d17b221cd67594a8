import type { ClusterClient } from './client.ts';
import { reasonNaming } from './apply-plan.ts';
import { describeFailure, isHttpStatus } from './errors.ts';
import { CREATED_NAMESPACE_ANNOTATION } from './labels.ts';

export interface EnsureNamespacesResult {
  created: string[];
  failed: { name: string; reason: string }[];
}

/**
 * Creates the namespaces a bundle deploys into when they are missing, as Fleet's agent does for
 * a bundle's target namespace. They carry no ownership label on purpose: they are not part of
 * any bundle's inventory, so prune never deletes a namespace (and all it holds) because a
 * bundle moved elsewhere. A namespace that exists costs one GET and no write. They are
 * annotated as Flotilla's making, so a bundle that lists the Namespace may adopt it.
 */
export async function ensureNamespaces(
  client: ClusterClient,
  names: readonly string[],
): Promise<EnsureNamespacesResult> {
  const result: EnsureNamespacesResult = { created: [], failed: [] };
  const unique = [...new Set(names.filter((name) => name !== ''))];
  const fail = (name: string, error: unknown) => {
    const ref = { apiVersion: 'v1', kind: 'Namespace', namespace: '', name };
    result.failed.push({ name, reason: reasonNaming(ref, describeFailure(error)) });
  };
  await Promise.all(
    unique.map(async (name) => {
      try {
        await client.request({
          method: 'GET',
          path: `/api/v1/namespaces/${encodeURIComponent(name)}`,
        });
        return;
      } catch (error) {
        if (!isHttpStatus(error, 404)) {
          fail(name, error);
          return;
        }
      }
      try {
        await client.request({
          method: 'POST',
          path: '/api/v1/namespaces',
          body: {
            apiVersion: 'v1',
            kind: 'Namespace',
            metadata: { name, annotations: { [CREATED_NAMESPACE_ANNOTATION]: 'true' } },
          },
        });
        result.created.push(name);
      } catch (error) {
        // Another deploy job created it in the meantime: that is what we wanted.
        if (isHttpStatus(error, 409)) return;
        fail(name, error);
      }
    }),
  );
  return result;
}
