import { gunzipSync } from 'node:zlib';
import type { DeployOptions, KubeObject, ObjectRef } from '@flotilla/engine';
import { z } from 'zod';

/** Flotilla did not answer (down, network): the agent keeps the cluster as it is and retries. */
export class FlotillaUnreachableError extends Error {
  override readonly name = 'FlotillaUnreachableError';
}

/** Flotilla refused the credential or token (401): retrying will not help. */
export class FlotillaRefusedError extends Error {
  override readonly name = 'FlotillaRefusedError';
}

const objectRef = z.object({
  apiVersion: z.string(),
  kind: z.string(),
  namespace: z.string().default(''),
  name: z.string(),
});

const desiredStateSchema = z.object({
  clusterId: z.string(),
  clusterName: z.string(),
  workspaceId: z.string(),
  deployments: z.array(
    z.object({
      id: z.string(),
      bundleId: z.string(),
      bundleName: z.string(),
      desiredHash: z.string().nullable(),
      desiredCommit: z.string().nullable(),
      appliedHash: z.string().nullable(),
      isOrphaned: z.boolean(),
      inventory: z.array(objectRef),
    }),
  ),
});
export type DesiredState = z.infer<typeof desiredStateSchema>;
export type DesiredDeployment = DesiredState['deployments'][number];

const kubeObject = z.looseObject({
  apiVersion: z.string(),
  kind: z.string(),
  metadata: z.looseObject({ name: z.string(), namespace: z.string().optional() }),
});

const revisionSchema = z.object({
  hash: z.string(),
  objects: z.array(kubeObject),
  hooks: z.array(kubeObject),
  deployOptions: z.looseObject({}),
});
export interface Revision {
  hash: string;
  objects: KubeObject[];
  hooks: KubeObject[];
  deployOptions: DeployOptions;
}

export interface ReportEntry {
  id: string;
  appliedHash: string | null;
  error: string | null;
  resources: unknown[];
  inventory: ObjectRef[];
}

const REQUEST_TIMEOUT_MS = 30_000;
const MAX_CACHED_REVISIONS = 200;

/**
 * The agent's side of /api/v1/agent/...: outbound HTTPS only. The credential goes in the
 * Authorization header and nowhere else (no log line, no error message carries it).
 */
export class FlotillaApi {
  private credential: string | undefined;
  private readonly revisions = new Map<string, Revision>();

  constructor(
    private readonly baseUrl: string,
    private readonly agentVersion: string,
  ) {}

  setCredential(credential: string): void {
    this.credential = credential;
  }

  private async call(
    path: string,
    init: RequestInit & { json?: unknown; timeoutMs?: number } = {},
  ): Promise<Response> {
    const { json, timeoutMs = REQUEST_TIMEOUT_MS, ...rest } = init;
    const headers = new Headers(rest.headers);
    if (this.credential) headers.set('authorization', `Bearer ${this.credential}`);
    if (json !== undefined) headers.set('content-type', 'application/json');
    let response: Response;
    try {
      response = await fetch(new URL(path, this.baseUrl), {
        ...rest,
        headers,
        ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new FlotillaUnreachableError(
        `Flotilla did not answer ${path}: ${(error as Error).message}`,
      );
    }
    if (response.status === 401)
      throw new FlotillaRefusedError(`Flotilla refused ${path}: ${await problemDetail(response)}`);
    if (response.status >= 500)
      throw new FlotillaUnreachableError(`Flotilla failed ${path}: ${response.status}`);
    return response;
  }

  /** Trades the registration token for the credential (once). */
  async register(token: string): Promise<{ credential: string; clusterId: string }> {
    const response = await this.call('/api/v1/agent/register', {
      method: 'POST',
      json: { token, agentVersion: this.agentVersion },
    });
    if (response.status !== 201)
      throw new FlotillaRefusedError(`registration failed: ${await problemDetail(response)}`);
    return z.object({ credential: z.string(), clusterId: z.string() }).parse(await response.json());
  }

  /** The desired deployments, or null when unchanged since `etag` (after waiting up to `waitSeconds`). */
  async desired(
    etag: string | undefined,
    waitSeconds: number,
  ): Promise<{ state: DesiredState; etag: string } | null> {
    const response = await this.call(`/api/v1/agent/deployments?wait=${etag ? waitSeconds : 0}`, {
      headers: etag ? { 'if-none-match': etag } : {},
      timeoutMs: (waitSeconds + 30) * 1000,
    });
    if (response.status === 304) return null;
    if (!response.ok) throw new Error(`desired state: ${await problemDetail(response)}`);
    return {
      state: desiredStateSchema.parse(await response.json()),
      etag: response.headers.get('etag') ?? '',
    };
  }

  /** A revision by hash: content-addressed, so fetched once and kept. */
  async revision(hash: string): Promise<Revision> {
    const cached = this.revisions.get(hash);
    if (cached) return cached;
    const response = await this.call(`/api/v1/agent/revisions/${hash}`);
    if (!response.ok)
      throw new Error(`revision ${hash.slice(0, 12)}: ${await problemDetail(response)}`);
    const parsed = revisionSchema.parse(JSON.parse(await bodyText(response)));
    if (parsed.hash !== hash)
      throw new Error(`revision ${hash.slice(0, 12)}: the answer is another revision`);
    const revision = parsed as unknown as Revision;
    this.revisions.set(hash, revision);
    if (this.revisions.size > MAX_CACHED_REVISIONS)
      this.revisions.delete(this.revisions.keys().next().value!);
    return revision;
  }

  /** A new credential; the current one keeps working for an hour (rotation). */
  async rotate(): Promise<string> {
    const response = await this.call('/api/v1/agent/credentials', { method: 'POST', json: {} });
    if (response.status !== 201)
      throw new Error(`credential rotation: ${await problemDetail(response)}`);
    return z.object({ credential: z.string() }).parse(await response.json()).credential;
  }

  async report(deployments: ReportEntry[], pruned: string[]): Promise<void> {
    const response = await this.call('/api/v1/agent/state', {
      method: 'POST',
      json: { deployments, pruned },
    });
    if (!response.ok) throw new Error(`state report: ${await problemDetail(response)}`);
  }

  async heartbeat(input: {
    heartbeatSeconds: number;
    kubernetesVersion?: string;
  }): Promise<{ reportRequested: boolean }> {
    const response = await this.call('/api/v1/agent/heartbeat', {
      method: 'POST',
      json: { agentVersion: this.agentVersion, ...input },
    });
    if (!response.ok) throw new Error(`heartbeat: ${await problemDetail(response)}`);
    return z.object({ reportRequested: z.boolean() }).parse(await response.json());
  }
}

/** The revision's JSON: served as application/gzip; plain JSON (a caching proxy's) also reads. */
async function bodyText(response: Response): Promise<string> {
  const bytes = Buffer.from(await response.arrayBuffer());
  const isGzip = bytes.length > 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
  return (isGzip ? gunzipSync(bytes) : bytes).toString('utf8');
}

async function problemDetail(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const problem = JSON.parse(text) as { detail?: string; title?: string };
    return `${response.status} ${problem.detail ?? problem.title ?? ''}`.trim();
  } catch {
    return `${response.status} ${text.slice(0, 200)}`.trim();
  }
}
