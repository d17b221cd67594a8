import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { createGuardedLookup, type AddressPolicy } from '@flotilla/net';

/** Statuses whose answer has no body (the Response constructor refuses one). */
const NULL_BODY = new Set([101, 204, 205, 304]);

/**
 * A fetch for octokit that resolves the host through the outbound address policy at connection
 * time (the guarded lookup, as for clusters, Git, charts and notification webhooks): a GitHub
 * base URL that resolves, or later re-resolves, to a refused address (cloud metadata,
 * link-local, a denied network) never receives the connection's token. Node's global fetch
 * takes no lookup function. Redirects are not followed (octokit reports a 3xx as an error), so
 * a token is never sent to another host either.
 */
export function createGuardedFetch({
  policy,
  timeoutMs = 30_000,
}: { policy?: AddressPolicy; timeoutMs?: number } = {}): typeof globalThis.fetch {
  return async (input, init = {}) => {
    const url = new URL(
      typeof input === 'string' ? input : input instanceof URL ? input.href : input.url,
    );
    const send =
      url.protocol === 'https:' ? httpsRequest : url.protocol === 'http:' ? httpRequest : null;
    if (!send) throw new TypeError(`fetch: unsupported scheme ${url.protocol}`);
    const method = (init.method ?? 'GET').toUpperCase();
    const body =
      init.body === undefined || init.body === null
        ? undefined
        : typeof init.body === 'string'
          ? init.body
          : Buffer.from(await new Response(init.body).arrayBuffer());
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((value, key) => {
      headers[key] = value;
    });
    return new Promise<Response>((resolve, reject) => {
      const request = send(url, {
        method,
        headers,
        lookup: createGuardedLookup(policy),
        timeout: timeoutMs,
        ...(init.signal ? { signal: init.signal } : {}),
      });
      request.on('response', (answer) => {
        const status = answer.statusCode ?? 0;
        const responseHeaders = new Headers();
        for (const [key, value] of Object.entries(answer.headers)) {
          if (Array.isArray(value)) for (const item of value) responseHeaders.append(key, item);
          else if (value !== undefined) responseHeaders.set(key, value);
        }
        const hasBody = !NULL_BODY.has(status) && method !== 'HEAD';
        if (!hasBody) answer.resume();
        const response = new Response(
          hasBody ? (Readable.toWeb(answer) as NodeReadableStream as ReadableStream) : null,
          { status, statusText: answer.statusMessage ?? '', headers: responseHeaders },
        );
        Object.defineProperty(response, 'url', { value: url.href });
        resolve(response);
      });
      request.on('timeout', () =>
        request.destroy(new Error(`no answer from ${url.host} within ${timeoutMs / 1000} s`)),
      );
      request.on('error', reject);
      request.end(body);
    });
  };
}
