import type { SimCluster } from '../../src/index.ts';

export interface Answer {
  status: number;
  body: unknown;
}

/** One plain-HTTP call to a simulated cluster, with its token unless told otherwise. */
export async function call(
  cluster: Pick<SimCluster, 'url' | 'token'>,
  method: string,
  path: string,
  {
    body,
    contentType = 'application/json',
    token = cluster.token,
    signal,
  }: { body?: unknown; contentType?: string; token?: string; signal?: AbortSignal } = {},
): Promise<Answer> {
  const response = await fetch(`${cluster.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': contentType },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal,
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // plain-text answers stay strings
  }
  return { status: response.status, body: parsed };
}

export function configMap(
  namespace: string,
  name: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace, ...extra },
    data: { name },
  };
}

export function deployment(namespace: string, name: string, replicas = 2): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'app', image: 'nginx:1.19' }] },
      },
    },
  };
}

/** The error code behind a failed fetch (ECONNREFUSED, ...), or the error name (AbortError, TimeoutError). */
export async function failureOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    const cause =
      error instanceof Error ? (error.cause as { code?: string } | undefined) : undefined;
    return cause?.code ?? (error instanceof Error ? error.name : String(error));
  }
  return 'no failure';
}
