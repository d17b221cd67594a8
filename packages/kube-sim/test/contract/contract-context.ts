import { request } from 'node:https';
import * as k8s from '@kubernetes/client-node';
import { kubeConfigFor, waitFor } from '@flotilla/testkit';
import { expect } from 'vitest';

/** A cluster as both the envtest harness and kube-sim describe it. */
export interface ClusterHandle {
  name: string;
  url: string;
  token: string;
  /** base64 PEM of the CA: both sides serve HTTPS and the client verifies it. */
  caData: string;
}

/** KubernetesObjectApi with its discovery lookup made public (it is what apply uses to find kinds). */
export class DiscoveringObjectApi extends k8s.KubernetesObjectApi {
  lookup(apiVersion: string, kind: string): Promise<k8s.V1APIResource | undefined> {
    return this.resource(apiVersion, kind);
  }
}

/** What a contract run needs from the server under test. */
export interface ContractTarget {
  clusters: ClusterHandle[];
  /**
   * Makes a Deployment Available: envtest has no controller-manager, so its side writes the
   * status; kube-sim's side does nothing and lets its controller do it.
   */
  markAvailable: (cluster: ClusterHandle, namespace: string, name: string) => Promise<void>;
  teardown: () => Promise<void>;
}

export const FIELD_MANAGER = 'flotilla';

/** Clients built the way Flotilla builds them, for the first cluster of the target. */
export class ContractContext {
  readonly kubeConfig: k8s.KubeConfig;
  readonly objects: DiscoveringObjectApi;
  readonly core: k8s.CoreV1Api;
  readonly apps: k8s.AppsV1Api;
  private namespaceCount = 0;

  constructor(
    readonly target: ContractTarget,
    private readonly runId = Math.random().toString(36).slice(2, 7),
  ) {
    this.kubeConfig = kubeConfigFor(this.cluster);
    this.objects = this.kubeConfig.makeApiClient(DiscoveringObjectApi);
    this.core = this.kubeConfig.makeApiClient(k8s.CoreV1Api);
    this.apps = this.kubeConfig.makeApiClient(k8s.AppsV1Api);
  }

  get cluster(): ClusterHandle {
    const [first] = this.target.clusters;
    if (!first) throw new Error('the contract target has no cluster');
    return first;
  }

  /** A fresh namespace per test, so tests never see each other's objects. */
  async newNamespace(prefix: string): Promise<string> {
    this.namespaceCount += 1;
    const name = `${prefix}-${this.runId}-${this.namespaceCount}`;
    await this.core.createNamespace({ body: { metadata: { name } } });
    return name;
  }

  /** Server-side apply, exactly as Flotilla's apply does it. */
  async apply<T extends k8s.KubernetesObject>(
    manifest: T,
    {
      force = true,
      dryRun = false,
      manager = FIELD_MANAGER,
    }: { force?: boolean; dryRun?: boolean; manager?: string } = {},
  ): Promise<T> {
    return this.objects.patch(
      structuredClone(manifest),
      undefined,
      dryRun ? 'All' : undefined,
      manager,
      force,
      k8s.PatchStrategy.ServerSideApply,
    );
  }

  async mergePatch<T extends k8s.KubernetesObject>(patch: T, manager: string): Promise<T> {
    return this.objects.patch(
      structuredClone(patch),
      undefined,
      undefined,
      manager,
      undefined,
      k8s.PatchStrategy.MergePatch,
    );
  }

  async read<T extends k8s.KubernetesObject>(object: T): Promise<T> {
    return this.objects.read(structuredClone(object) as T & { metadata: { name: string } });
  }
}

export interface ExpectedStatus {
  code: number;
  reason?: string;
  message?: string | RegExp;
}

export interface StatusBody {
  kind?: string;
  status?: string;
  reason?: string;
  message?: string;
  code?: number;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    causes?: { reason?: string; message?: string; field?: string }[];
  };
}

/** Awaits a call that must fail and checks the Status the server answered with. */
export async function expectStatus(
  call: Promise<unknown>,
  expected: ExpectedStatus,
): Promise<StatusBody> {
  const error = await call.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error, 'the call should have failed').toBeInstanceOf(k8s.ApiException);
  const exception = error as k8s.ApiException<unknown>;
  const body = (
    typeof exception.body === 'string' ? JSON.parse(exception.body) : exception.body
  ) as StatusBody;
  expect(exception.code).toBe(expected.code);
  expect(body.kind).toBe('Status');
  expect(body.code).toBe(expected.code);
  if (expected.reason !== undefined) expect(body.reason).toBe(expected.reason);
  if (typeof expected.message === 'string') expect(body.message).toBe(expected.message);
  if (expected.message instanceof RegExp) expect(body.message).toMatch(expected.message);
  return body;
}

export function managersOf(
  object: k8s.KubernetesObject,
): { manager?: string; operation?: string }[] {
  return (object.metadata?.managedFields ?? []).map(({ manager, operation }) => ({
    manager,
    operation,
  }));
}

export function fieldsOf(object: k8s.KubernetesObject, manager: string): unknown {
  return object.metadata?.managedFields?.find((entry) => entry.manager === manager)?.fieldsV1;
}

export async function eventually<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  return waitFor(what, probe, { timeoutMs: 20_000, intervalMs: 100 });
}

/** A bare HTTPS request that verifies the cluster's CA, for what the typed clients hide. */
export function rawRequest(
  cluster: ClusterHandle,
  path: string,
  {
    token,
    method = 'GET',
    body,
    contentType = 'application/json',
  }: { token?: string; method?: string; body?: unknown; contentType?: string } = {},
): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> =
      token === undefined ? {} : { Authorization: `Bearer ${token}` };
    if (body !== undefined) headers['Content-Type'] = contentType;
    const call = request(
      `${cluster.url}${path}`,
      { method, ca: Buffer.from(cluster.caData, 'base64'), headers },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // plain-text answers (health checks) stay strings
          }
          resolve({ status: response.statusCode ?? 0, body: parsed });
        });
      },
    );
    call.on('error', reject);
    call.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

export function rawGet(
  cluster: ClusterHandle,
  path: string,
  token?: string,
): Promise<{ status: number; body: unknown }> {
  return rawRequest(cluster, path, { token });
}
