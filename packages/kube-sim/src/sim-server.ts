import { randomBytes } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { ApiError, internalError } from './api-error.ts';
import { ClusterState, type Counters } from './cluster-state.ts';
import type { JsonObject } from './json.ts';
import { LifecycleControllers } from './lifecycle-controllers.ts';
import { route } from './router.ts';
import { streamWatch } from './watch.ts';
import { WorkloadControllers } from './workload-controllers.ts';

/** How long an idle keep-alive connection stays open (see where the server is made). */
const IDLE_CONNECTION_MS = 90_000;

export interface SimFault {
  /** Delay before every answer. */
  latencyMs?: number;
  /** Share of requests (0..1) answered with a 500 InternalError Status. */
  errorRate?: number;
  /** Stop listening: connections are refused, open ones are closed. */
  unreachable?: boolean;
  /**
   * Accept connections (TCP and TLS) and read requests, but never answer: an API server that
   * hangs, or a proxy in front of a dead one. Clearing it resets the requests left waiting.
   */
  hang?: boolean;
}

export interface SimClusterSpec {
  name: string;
  token?: string;
  kubernetesVersion?: string;
}

export interface StartKubeSimOptions {
  clusters: number | SimClusterSpec[];
  /** PEM serving certificate and key; `ca` (PEM) is what clients should trust (caData). */
  tls?: { cert: string | Buffer; key: string | Buffer; ca?: string | Buffer } | false;
  /** Cluster i listens on basePort + i; without it, on ports the OS picks. */
  basePort?: number;
  deploymentReadyDelayMs?: number;
  /** How long a deleted namespace stays Terminating before its content and it are removed. */
  namespaceDeletionDelayMs?: number;
  host?: string;
}

export interface SimCluster {
  name: string;
  url: string;
  token: string;
  /** base64 PEM of the CA to trust, when serving HTTPS. */
  caData?: string;
  port: number;
  setFault: (fault: SimFault) => Promise<void>;
  /** Live counters (read them any time). */
  counters: Counters;
  /** A copy of every object the cluster holds. */
  objects: () => JsonObject[];
}

export interface KubeSim {
  clusters: SimCluster[];
  stop: () => Promise<void>;
}

const MAX_BODY_BYTES = 3 * 1024 * 1024;

/** One cluster's address: its listener, its connections and its fault. */
class Endpoint {
  fault: SimFault = {};
  /** The port it listens on; a listener closed by a fault reopens on the same one. */
  port = 0;
  private listener: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  private readonly held = new Set<ServerResponse>();

  constructor(
    readonly state: ClusterState,
    private readonly host: string,
    private readonly server: http.Server,
    private readonly controllers: { stop: () => void }[],
  ) {}

  async listen(port: number): Promise<number> {
    const listener = net.createServer((socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      this.server.emit('connection', socket);
    });
    await new Promise<void>((resolve, reject) => {
      listener.once('error', reject);
      listener.listen(port, this.host, () => resolve());
    });
    this.listener = listener;
    const address = listener.address();
    this.port = typeof address === 'object' && address ? address.port : port;
    return this.port;
  }

  hold(response: ServerResponse): void {
    this.held.add(response);
    response.on('close', () => this.held.delete(response));
  }

  async setFault(fault: SimFault): Promise<void> {
    const wasHanging = this.fault.hang === true;
    this.fault = { ...fault };
    // Requests left hanging end with a reset; healthy keep-alive connections stay.
    if (wasHanging && !fault.hang) this.dropHeld();
    if (fault.unreachable && this.listener) {
      await this.closeListener();
    } else if (!fault.unreachable && !this.listener) {
      await this.listen(this.port);
    }
  }

  private dropHeld(): void {
    for (const response of this.held) response.socket?.destroy();
    this.held.clear();
  }

  private dropConnections(): void {
    this.dropHeld();
    for (const socket of this.sockets) socket.destroy();
  }

  private async closeListener(): Promise<void> {
    const listener = this.listener;
    this.listener = undefined;
    this.dropConnections();
    if (listener) await new Promise<void>((resolve) => listener.close(() => resolve()));
  }

  async stop(): Promise<void> {
    for (const controller of this.controllers) controller.stop();
    await this.closeListener();
  }
}

function readBody(request: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () =>
      resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString('utf8')),
    );
    request.on('error', reject);
  });
}

function send(response: ServerResponse, status: number, body: unknown, isHead: boolean): void {
  const isText = typeof body === 'string';
  const payload = isText ? body : JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': isText ? 'text/plain; charset=utf-8' : 'application/json',
    'Content-Length': Buffer.byteLength(payload),
  });
  response.end(isHead ? undefined : payload);
}

async function answer(
  endpoint: Endpoint,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  if (endpoint.fault.hang) {
    // Read the request as a live server would, then say nothing.
    await readBody(request);
    return endpoint.hold(response);
  }
  const body = await readBody(request);
  const isHead = request.method === 'HEAD';
  const { latencyMs = 0, errorRate = 0 } = endpoint.fault;
  if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
  if (endpoint.fault.hang) return endpoint.hold(response);
  if (body === undefined) {
    endpoint.state.counters.requests += 1;
    const tooLarge = new ApiError(
      413,
      'RequestEntityTooLarge',
      'Request entity too large: limit is 3145728',
    );
    return send(response, 413, tooLarge.toStatus(), isHead);
  }
  if (errorRate > 0 && Math.random() < errorRate) {
    endpoint.state.counters.requests += 1;
    return send(
      response,
      500,
      internalError('simulated fault (kube-sim errorRate)').toStatus(),
      isHead,
    );
  }
  const result = route(endpoint.state, {
    method: request.method ?? 'GET',
    url: request.url ?? '/',
    headers: request.headers,
    body,
    serverAddress: `${request.socket.localAddress ?? '127.0.0.1'}:${endpoint.port}`,
  });
  if ('watch' in result) return streamWatch(endpoint.state, result.watch, response);
  send(response, result.status, result.body, isHead);
}

function clusterSpecs(clusters: StartKubeSimOptions['clusters']): SimClusterSpec[] {
  if (typeof clusters === 'number')
    return Array.from({ length: clusters }, (_, index) => ({ name: `sim-${index + 1}` }));
  return clusters;
}

/**
 * Starts N simulated Kubernetes API servers in this process: one listening port per cluster,
 * all served by one HTTP(S) server, each with its own objects, token, counters and faults.
 */
export async function startKubeSim({
  clusters,
  tls = false,
  basePort,
  deploymentReadyDelayMs = 2000,
  namespaceDeletionDelayMs = 1000,
  host = '127.0.0.1',
}: StartKubeSimOptions): Promise<KubeSim> {
  const endpoints = new Map<number, Endpoint>();
  const onRequest = (request: IncomingMessage, response: ServerResponse) => {
    const endpoint = endpoints.get(request.socket.localPort ?? -1);
    if (!endpoint) {
      response.destroy();
      return;
    }
    answer(endpoint, request, response).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      if (!response.headersSent) send(response, 500, internalError(message).toStatus(), false);
      else response.destroy();
    });
  };
  const server: http.Server = tls
    ? https.createServer({ cert: tls.cert, key: tls.key }, onRequest)
    : http.createServer(onRequest);
  // Idle keep-alive connections stay open as long as a real API server keeps them (Go's
  // http.Server there waits 90 s), not Node's 5 s: with a thousand clusters a client talks to
  // each one every few seconds or less often, and a 5 s close made nearly every request pay a
  // new TLS handshake, a cost of the simulator rather than of the client.
  server.keepAliveTimeout = IDLE_CONNECTION_MS;
  server.on('clientError', (_error, socket) => socket.destroy());
  const caData = tls ? Buffer.from(tls.ca ?? tls.cert).toString('base64') : undefined;
  const scheme = tls ? 'https' : 'http';

  const started: SimCluster[] = [];
  const all: Endpoint[] = [];
  try {
    for (const [index, spec] of clusterSpecs(clusters).entries()) {
      const state = new ClusterState(
        spec.name,
        spec.token ?? randomBytes(24).toString('hex'),
        spec.kubernetesVersion ?? 'v1.20.2',
      );
      const controllers = [
        new LifecycleControllers(state, namespaceDeletionDelayMs),
        new WorkloadControllers(state, deploymentReadyDelayMs),
      ];
      const endpoint = new Endpoint(state, host, server, controllers);
      all.push(endpoint);
      const port = await endpoint.listen(basePort === undefined ? 0 : basePort + index);
      endpoints.set(port, endpoint);
      started.push({
        name: spec.name,
        url: `${scheme}://${host}:${port}`,
        token: state.token,
        ...(caData ? { caData } : {}),
        port,
        setFault: (fault) => endpoint.setFault(fault),
        counters: state.counters,
        objects: () => [...state.store.entries()].map(({ object }) => structuredClone(object)),
      });
    }
  } catch (error) {
    await Promise.all(all.map((endpoint) => endpoint.stop()));
    throw error;
  }
  return {
    clusters: started,
    stop: async () => {
      await Promise.all(all.map((endpoint) => endpoint.stop()));
      server.closeAllConnections();
      endpoints.clear();
    },
  };
}
