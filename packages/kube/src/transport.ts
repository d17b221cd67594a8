import type { Agent } from 'node:https';
import { request as httpsRequest } from 'node:https';
import { RequestTimeoutError, ResponseTooLargeError } from './errors.ts';

/**
 * The one place that puts bytes on the wire for a cluster. It is ours rather than client-node's
 * node-fetch library because it must (1) reuse one keep-alive agent, where client-node makes a
 * new agent (so a new TLS handshake) per request, (2) bound the answer's size, since a
 * registered URL may point at a hostile server, and (3) time the whole exchange, body included.
 */

export interface HttpRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** Overrides the client's default budget for this request. */
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type Transport = (request: HttpRequest) => Promise<HttpResponse>;

export interface HttpsTransportOptions {
  agent: Agent;
  timeoutMs: number;
  maxResponseBytes: number;
}

function flattenHeaders(
  raw: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

function send(
  request: HttpRequest,
  { agent, timeoutMs, maxResponseBytes }: HttpsTransportOptions,
  isRetry: boolean,
): Promise<HttpResponse> {
  return new Promise<HttpResponse>((resolve, reject) => {
    const budget = request.timeoutMs ?? timeoutMs;
    const signal = AbortSignal.timeout(budget);
    const outgoing = httpsRequest(request.url, {
      method: request.method,
      headers:
        request.body === undefined
          ? request.headers
          : { ...request.headers, 'Content-Length': String(Buffer.byteLength(request.body)) },
      agent,
      signal,
    });
    let hasResponse = false;
    const fail = (error: unknown) => {
      if (signal.aborted) {
        reject(new RequestTimeoutError(budget));
      } else if (
        !isRetry &&
        !hasResponse &&
        outgoing.reusedSocket &&
        (error as { code?: unknown }).code === 'ECONNRESET'
      ) {
        // The server closed an idle keep-alive connection just as we reused it (Node's
        // documented race): it never read this request, so sending it again is safe. Once.
        send(request, { agent, timeoutMs, maxResponseBytes }, true).then(resolve, reject);
      } else {
        reject(error);
      }
    };
    outgoing.on('error', fail);
    outgoing.on('response', (response) => {
      hasResponse = true;
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxResponseBytes) {
          response.destroy(new ResponseTooLargeError(maxResponseBytes));
          return;
        }
        chunks.push(chunk);
      });
      response.on('error', (error) =>
        reject(signal.aborted ? new RequestTimeoutError(budget) : error),
      );
      response.on('end', () => {
        resolve({
          status: response.statusCode ?? 0,
          headers: flattenHeaders(response.headers),
          body: Buffer.concat(chunks).toString('utf8'),
        });
      });
    });
    outgoing.end(request.body);
  });
}

export function createHttpsTransport(options: HttpsTransportOptions): Transport {
  return (request) => send(request, options, false);
}
