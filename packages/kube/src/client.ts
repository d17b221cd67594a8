import { Agent } from 'node:https';
import { createSecureContext } from 'node:tls';
import {
  createConfiguration,
  ResponseContext,
  ServerConfiguration,
  wrapHttpLibrary,
  type Configuration,
  type KubeConfig,
} from '@kubernetes/client-node';
import pLimit from 'p-limit';
import {
  CircuitBreaker,
  type BreakerState,
  type BreakerTicket,
  type CircuitBreakerOptions,
} from './circuit-breaker.ts';
import { toKubeConfig, type ClusterConnection } from './connection.ts';
import { createDiscovery, type Discovery } from './discovery.ts';
import { classifyError } from './errors.ts';
import {
  fillRequestContext,
  methodOf,
  readResponse,
  toHttpRequest,
  type KubeRequest,
} from './request.ts';
import { createHttpsTransport, type Transport } from './transport.ts';
import { assertApiServerUrl, guardedLookup } from './url-policy.ts';

export interface ClusterClientOptions {
  /** Requests in flight to this cluster at most; the rest wait their turn (default 4). */
  concurrency?: number;
  /**
   * Budget of one request, from the moment it is sent until its body is read (default 15 s).
   * Requests carry one object or one LIST; an admission webhook may take its default 10 s.
   */
  timeoutMs?: number;
  /** When to stop sending to an API server that does not answer (see circuit-breaker.ts). */
  breaker?: CircuitBreakerOptions;
  /** Largest answer accepted (default 64 MiB). */
  maxResponseBytes?: number;
  /** Wraps the wire transport inside the concurrency bound: metrics, or tests counting requests. */
  wrapTransport?: (next: Transport) => Transport;
  /**
   * A slot shared with other processes (the worker's Redis-backed fleet limit), taken by each
   * request after this process's own bound and held until its answer is read; returns the
   * function that gives it back.
   */
  acquireSharedSlot?: () => Promise<() => Promise<void>>;
}

/** One cluster's API server, with a bounded number of requests in flight. */
export interface ClusterClient {
  readonly apiServerUrl: string;
  /** Built from the allow-listed connection; for client-node helpers that want a KubeConfig. */
  readonly kubeConfig: KubeConfig;
  readonly discovery: Discovery;
  /** JSON in and out. A non-2xx answer throws client-node's ApiException (see errors.ts). */
  request(request: KubeRequest): Promise<unknown>;
  /** A client-node typed API (CoreV1Api, ...) that shares this client's bound and connections. */
  makeApi<T>(api: new (configuration: Configuration) => T): T;
  /** Closes idle connections now and busy ones when their request ends. */
  close(): void;
  /** closed: requests go; open: they fail at once with CircuitOpenError; halfOpen: one trial. */
  breakerState(): BreakerState;
}

const DEFAULT_CONCURRENCY = 4;
const DEFAULT_TIMEOUT_MS = 15_000;
const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

function tlsOptions(connection: ClusterConnection) {
  const { credentials } = connection;
  // One secure context per cluster, made once: given only ca/cert/key, every TLS connection
  // would parse the PEM material and build a context of its own (a hot spot when a thousand
  // clusters reconnect after their idle keep-alive connections were closed).
  const secureContext = createSecureContext({
    ...(connection.caData ? { ca: Buffer.from(connection.caData, 'base64') } : {}),
    ...(credentials.kind === 'clientCertificate'
      ? {
          cert: Buffer.from(credentials.certData, 'base64'),
          key: Buffer.from(credentials.keyData, 'base64'),
        }
      : {}),
  });
  return {
    secureContext,
    // Explicit, so NODE_TLS_REJECT_UNAUTHORIZED=0 in some environment cannot turn verification off.
    rejectUnauthorized: !connection.insecureSkipTlsVerify,
  };
}

export function createClusterClient(
  connection: ClusterConnection,
  options: ClusterClientOptions = {},
): ClusterClient {
  const {
    concurrency = DEFAULT_CONCURRENCY,
    timeoutMs = DEFAULT_TIMEOUT_MS,
    maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES,
    wrapTransport,
    acquireSharedSlot,
  } = options;
  const breaker = new CircuitBreaker(options.breaker);
  const apiServerUrl = assertApiServerUrl(connection.apiServerUrl).toString().replace(/\/+$/, '');
  const kubeConfig = toKubeConfig({ ...connection, apiServerUrl });

  const agent = new Agent({
    keepAlive: true,
    maxSockets: concurrency,
    lookup: guardedLookup,
    ...tlsOptions(connection),
  });
  const wire = createHttpsTransport({ agent, timeoutMs, maxResponseBytes });
  const inner = wrapTransport ? wrapTransport(wire) : wire;
  const limit = pLimit(concurrency);
  let inFlight = 0;
  let isClosing = false;
  const transport: Transport = (request) =>
    limit(async () => {
      const releaseShared = await acquireSharedSlot?.();
      try {
        return await send(request);
      } finally {
        await releaseShared?.();
      }
    });
  const send: Transport = async (request) => {
    // Asked when the request's turn comes, not when it was queued: requests waiting behind
    // the ones that found the server dead fail at once instead of each waiting out a timeout.
    let ticket: BreakerTicket;
    try {
      ticket = breaker.admit();
    } catch (error) {
      if (isClosing && inFlight === 0 && limit.pendingCount === 0) agent.destroy();
      throw error;
    }
    inFlight += 1;
    try {
      const response = await inner(request);
      breaker.record(ticket, 'answered');
      return response;
    } catch (error) {
      const { reason, message } = classifyError(error);
      // Only silence counts: an error status, a TLS refusal or an oversized answer all
      // prove that something is there.
      breaker.record(
        ticket,
        reason === 'Timeout' || reason === 'Unreachable' ? 'unreachable' : 'answered',
        message,
      );
      throw error;
    } finally {
      inFlight -= 1;
      if (isClosing && inFlight === 0 && limit.pendingCount === 0) agent.destroy();
    }
  };

  const configuration = createConfiguration({
    baseServer: new ServerConfiguration(apiServerUrl, {}),
    // The KubeConfig sets the Authorization header; the agent it also sets is ignored, since
    // the transport always uses its own keep-alive agent with the same TLS material.
    authMethods: { default: kubeConfig },
    httpApi: wrapHttpLibrary({
      async send(context) {
        const response = await transport(toHttpRequest(context));
        return new ResponseContext(response.status, response.headers, {
          text: async () => response.body,
          binary: async () => Buffer.from(response.body),
        });
      },
    }),
  });

  const request = async (kubeRequest: KubeRequest): Promise<unknown> => {
    const context = configuration.baseServer.makeRequestContext(
      kubeRequest.path,
      methodOf(kubeRequest),
    );
    fillRequestContext(context, kubeRequest);
    await kubeConfig.applySecurityAuthentication(context);
    const response = await transport(toHttpRequest(context, kubeRequest.timeoutMs));
    return readResponse(kubeRequest, response);
  };

  return {
    apiServerUrl,
    kubeConfig,
    discovery: createDiscovery(request),
    request,
    makeApi: (Api) => new Api(configuration),
    close() {
      isClosing = true;
      if (inFlight === 0 && limit.pendingCount === 0) agent.destroy();
    },
    breakerState: () => breaker.state,
  };
}
