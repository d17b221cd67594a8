import { readFileSync } from 'node:fs';
import { createServer, request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { testPki } from './certificates.ts';
import type { TestCluster } from './envtest.ts';

/** One request that went through a CountingProxy, in the order they arrived. */
export interface ProxiedRequest {
  /** Arrival order (0, 1, 2 ...). */
  sequence: number;
  method: string;
  /** Path and query, as sent. */
  url: string;
  status: number;
  /** The request body of a write (POST, PUT, PATCH), as sent. */
  body?: string;
}

export interface CountingProxyOptions {
  /** Holds each request this long before passing it on: a slow API server. */
  delayMs?: number;
}

/**
 * An HTTPS proxy in front of one envtest API server (same CA, same serving certificate), to
 * register in Flotilla in place of the server itself. It counts the requests in flight: one is
 * in flight from the moment its headers arrive until the last byte of its answer was written
 * back, so a client that sends its next request only after reading an answer is never counted
 * twice. `maxInFlight` is the most seen at once.
 */
export interface CountingProxy {
  url: string;
  /** The API server behind it, with the proxy's URL: pass to registerCluster. */
  cluster: TestCluster;
  maxInFlight: () => number;
  inFlight: () => number;
  requests: () => ProxiedRequest[];
  close: () => Promise<void>;
}

export async function startCountingProxy(
  target: TestCluster,
  { delayMs = 0 }: CountingProxyOptions = {},
): Promise<CountingProxy> {
  const pki = testPki();
  const ca = Buffer.from(target.caData, 'base64');
  const upstream = new URL(target.url);
  let inFlight = 0;
  let maxInFlight = 0;
  let arrivals = 0;
  const requests: ProxiedRequest[] = [];
  const server = createServer(
    { cert: readFileSync(pki.serverCertFile), key: readFileSync(pki.serverKeyFile) },
    (request, response) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const sequence = arrivals;
      arrivals += 1;
      let isDone = false;
      let status = 499;
      const chunks: Buffer[] = [];
      const isWrite = ['POST', 'PUT', 'PATCH'].includes(request.method ?? '');
      const done = () => {
        if (isDone) return;
        isDone = true;
        inFlight -= 1;
        requests.push({
          sequence,
          method: request.method ?? '',
          url: request.url ?? '',
          status,
          ...(isWrite ? { body: Buffer.concat(chunks).toString('utf8') } : {}),
        });
      };
      const forward = (body: Buffer) => {
        const forwarded = httpsRequest(
          {
            host: upstream.hostname,
            port: upstream.port,
            method: request.method,
            path: request.url,
            headers: request.headers,
            ca,
          },
          (answer) => {
            status = answer.statusCode ?? 502;
            response.writeHead(status, answer.headers);
            answer.pipe(response);
            response.once('finish', done);
          },
        );
        forwarded.once('error', (error) => {
          status = 502;
          if (!response.headersSent) response.writeHead(502).end(error.message);
          else response.destroy();
          done();
        });
        forwarded.end(body);
      };
      // The client went away (a killed worker): no longer in flight, whatever happens upstream.
      response.once('close', done);
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.once('end', () => {
        const body = Buffer.concat(chunks);
        if (delayMs > 0) setTimeout(() => forward(body), delayMs);
        else forward(body);
      });
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `https://127.0.0.1:${port}`;
  return {
    url,
    cluster: { ...target, url, port },
    maxInFlight: () => maxInFlight,
    inFlight: () => inFlight,
    requests: () => [...requests].sort((a, b) => a.sequence - b.sequence),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
