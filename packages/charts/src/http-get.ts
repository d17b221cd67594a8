import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { rootCertificates } from 'node:tls';
import {
  assertOutboundUrl,
  createGuardedLookup,
  currentAddressPolicy,
  hostOf,
  type AddressPolicy,
} from '@flotilla/net';

/** A chart could not be fetched; the message names the repository or URL, never credentials. */
export class ChartFetchError extends Error {
  override readonly name = 'ChartFetchError';
}

export interface OutboundOptions {
  policy?: AddressPolicy | undefined;
  /** Plain http:// beyond loopback addresses. */
  allowInsecureHttp?: boolean | undefined;
  timeoutMs?: number | undefined;
  /** PEM certificates trusted on top of the system's roots (a private CA). */
  caBundle?: string | undefined;
}

export interface HttpGetOptions extends OutboundOptions {
  maxBytes: number;
  headers?: Record<string, string> | undefined;
  /** Sent only to `authOrigin` (never to a host a redirect leads to, as Helm and Docker do). */
  authorization?: string | undefined;
  authOrigin?: string | undefined;
}

export interface HttpGetResult {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body of a 2xx answer (bounded); empty for other statuses. */
  body: Buffer;
  /** The URL that answered, after redirects. */
  url: string;
}

const MAX_REDIRECTS = 5;

/** A URL for messages: credentials and the query (a presigned blob URL holds a signature) removed. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    parsed.search = '';
    return parsed.toString();
  } catch {
    return '(invalid URL)';
  }
}

/** Checks a URL against the address policy, and plain http against loopback. */
export function checkChartUrl(url: string, options: OutboundOptions): URL {
  const policy = options.policy ?? currentAddressPolicy();
  let parsed: URL;
  try {
    parsed = assertOutboundUrl(url, { what: 'the chart', schemes: ['https', 'http'], policy });
  } catch (error) {
    throw new ChartFetchError(`${redact(url)}: ${(error as Error).message}`);
  }
  if (
    parsed.protocol === 'http:' &&
    !options.allowInsecureHttp &&
    !policy.isLoopback(hostOf(parsed))
  ) {
    throw new ChartFetchError(
      `${redact(url)}: uses plain http: use https:// (http:// is allowed only to a loopback address)`,
    );
  }
  return parsed;
}

/**
 * GET with a byte bound, redirects followed (each hop passes the address policy again, and the
 * socket's DNS answers are checked at connect time against rebinding), and the Authorization
 * header sent only to `authOrigin`. Non-2xx statuses are returned, not thrown.
 */
export async function httpGet(
  url: string,
  options: HttpGetOptions,
  redirects = 0,
): Promise<HttpGetResult> {
  const policy = options.policy ?? currentAddressPolicy();
  const parsed = checkChartUrl(url, options);
  const headers: Record<string, string> = { 'user-agent': 'flotilla', ...options.headers };
  if (options.authorization && parsed.origin === options.authOrigin) {
    headers.authorization = options.authorization;
  }
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    const send = parsed.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(parsed, {
      headers,
      lookup: createGuardedLookup(policy),
      timeout: options.timeoutMs ?? 30_000,
      // `ca` replaces Node's roots: keep them, so a public chart host still verifies.
      ...(options.caBundle ? { ca: [...rootCertificates, options.caBundle] } : {}),
    });
    req.on('response', resolve);
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  }).catch((error: Error) => {
    throw new ChartFetchError(`${redact(url)}: ${error.message}`);
  });

  const status = response.statusCode ?? 0;
  if (status >= 300 && status < 400 && response.headers.location) {
    response.resume();
    if (redirects >= MAX_REDIRECTS) throw new ChartFetchError(`${redact(url)}: too many redirects`);
    const next = new URL(response.headers.location, parsed).toString();
    return httpGet(next, options, redirects + 1);
  }
  if (status < 200 || status >= 300) {
    response.resume();
    return { status, headers: response.headers, body: Buffer.alloc(0), url: parsed.toString() };
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of response) {
    total += (chunk as Buffer).length;
    if (total > options.maxBytes) {
      response.destroy();
      throw new ChartFetchError(`${redact(url)}: larger than ${options.maxBytes} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return { status, headers: response.headers, body: Buffer.concat(chunks), url: parsed.toString() };
}
