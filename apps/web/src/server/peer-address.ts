import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';

/**
 * A route handler in Next's app router sees a Request built from the headers, never the socket
 * (there is no `request.ip`), and Next copies a client's own X-Forwarded-For through untouched.
 * So the socket's peer address is written into this header, overwriting whatever a client sent
 * under the same name, by the one hook Node offers before any request listener runs.
 */
export const PEER_ADDRESS_HEADER = 'x-flotilla-peer-address';

const STAMPING = Symbol.for('flotilla.peerAddressStamping');
const globalFlags = globalThis as unknown as Record<symbol, boolean | undefined>;

/** Called once at server start (instrumentation.ts), before the first request is read. */
export function stampPeerAddresses(): void {
  if (globalFlags[STAMPING]) return;
  subscribe('http.server.request.start', (message) => {
    const { request, socket } = message as { request: IncomingMessage; socket: Socket };
    request.headers[PEER_ADDRESS_HEADER] = socket.remoteAddress ?? '';
  });
  globalFlags[STAMPING] = true;
}

/**
 * The peer address of this request, or undefined when the stamping is not running (then the
 * header, if any, came from the client and proves nothing).
 */
export function peerAddressOf(headers: Headers): string | undefined {
  if (!globalFlags[STAMPING]) return undefined;
  return headers.get(PEER_ADDRESS_HEADER) || undefined;
}
