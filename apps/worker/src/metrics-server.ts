import { createServer, type Server } from 'node:http';
import type { Logger } from '@flotilla/config';
import { authorizeMetricsScrape } from '@flotilla/core';
import type { Registry } from 'prom-client';

/**
 * GET /metrics for Prometheus on a port of its own (the worker serves nothing else over
 * HTTP). A port already taken (several workers on one machine, FLOTILLA_WORKERS=N) is not
 * fatal: that process works on without /metrics, and says so.
 */
export function startMetricsServer({
  registry,
  host,
  port,
  token,
  logger,
}: {
  registry: Registry;
  host: string;
  port: number;
  token: string | undefined;
  logger: Logger;
}): Promise<Server | undefined> {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://worker').pathname;
    if (request.method !== 'GET' || path !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    if (!authorizeMetricsScrape({ authorization: request.headers.authorization, token })) {
      response
        .writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer' })
        .end('send Authorization: Bearer <FLOTILLA_METRICS_TOKEN>\n');
      return;
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
      (error: unknown) => {
        logger.warn({ err: (error as Error).message }, 'metrics: scrape failed');
        response.writeHead(500, { 'content-type': 'text/plain' }).end('scrape failed\n');
      },
    );
  });
  return new Promise((resolve) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      logger.warn(
        { host, port, err: error.message },
        'metrics: cannot listen; this worker serves no /metrics',
      );
      resolve(undefined);
    });
    server.listen(port, host, () => {
      logger.info({ host, port }, 'metrics: serving GET /metrics');
      resolve(server);
    });
  });
}
