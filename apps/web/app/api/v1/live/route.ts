import { AppError } from '@flotilla/core';
import { createRedis, liveUpdatesChannel, parseLiveUpdates } from '@flotilla/jobs';
import { webContext } from '@/server/context.ts';
import { route } from '@/server/route.ts';

export const dynamic = 'force-dynamic';

/** Proxies close idle streams after ~30-60 s; a comment line every 15 s keeps ours open. */
const HEARTBEAT_MS = 15_000;
/** Tells EventSource how long to wait before reconnecting after a drop. */
const RETRY_MS = 3_000;

/** Every open stream's close, so a shutdown can end them (see endStreamsOnShutdown). */
const openStreams = new Set<() => void>();

/**
 * `next start` answers SIGTERM by closing the server and waiting for open requests, and an
 * event stream never ends by itself: without this, every open dashboard tab would hold a
 * shutdown or restart until the supervisor's SIGKILL. Streams end, browsers reconnect to the
 * next server. Added only beside Next's own handlers, so it never replaces the default exit.
 */
function endStreamsOnShutdown(): void {
  const state = globalThis as { flotillaLiveShutdownHook?: boolean };
  if (state.flotillaLiveShutdownHook) return;
  state.flotillaLiveShutdownHook = true;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    if (process.listenerCount(signal) === 0) continue;
    process.on(signal, () => {
      for (const close of openStreams) close();
    });
  }
}

/**
 * Server-sent events for the dashboard: what the worker publishes on the workspace's Redis
 * channel (JSON arrays of LiveUpdate: ids and states, never secrets), one `data:` line per
 * batch. Each stream has its own Redis connection, since a subscribed connection can do
 * nothing else; it is unsubscribed and closed when the browser goes away.
 */
export const GET = route({ auth: 'read' }, async ({ ctx, principal, request }) => {
  const { config } = webContext();
  endStreamsOnShutdown();
  const channel = liveUpdatesChannel(principal.workspaceId);
  const subscriber = createRedis(config.REDIS_URL);
  subscriber.on('error', (error: Error) =>
    ctx.logger.warn({ err: error.message }, 'live updates: redis connection problem'),
  );
  try {
    await subscriber.subscribe(channel);
  } catch (error) {
    subscriber.disconnect();
    ctx.logger.warn({ err: (error as Error).message }, 'live updates: could not subscribe');
    throw new AppError(
      'Unavailable',
      'live updates are unavailable right now (Redis did not answer); pages refresh by polling',
      {
        retryAfterSeconds: RETRY_MS / 1000,
      },
    );
  }

  const encoder = new TextEncoder();
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let isClosed = false;
  let endResponse: () => void = () => undefined;
  const close = () => {
    if (isClosed) return;
    isClosed = true;
    openStreams.delete(close);
    clearInterval(heartbeat);
    endResponse();
    request.signal.removeEventListener('abort', close);
    subscriber
      .unsubscribe(channel)
      .catch(() => undefined)
      .finally(() => subscriber.disconnect());
  };

  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      endResponse = () => {
        try {
          controller.close();
        } catch {
          // Already closed or cancelled by the client.
        }
      };
      openStreams.add(close);
      const send = (text: string) => {
        if (isClosed) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          // The stream was closed under us (the client left): stop listening.
          close();
        }
      };
      subscriber.on('message', (_channel: string, message: string) => {
        let updates;
        try {
          updates = parseLiveUpdates(message);
        } catch {
          return;
        }
        // Re-serialised: one line of JSON whatever the publisher sent, so it fits one `data:` field.
        if (updates.length > 0) send(`data: ${JSON.stringify(updates)}\n\n`);
      });
      send(`retry: ${RETRY_MS}\n: connected\n\n`);
      heartbeat = setInterval(() => send(': heartbeat\n\n'), HEARTBEAT_MS);
      if (request.signal.aborted) close();
      else request.signal.addEventListener('abort', close);
    },
    cancel() {
      close();
    },
  });

  return new Response(stream, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // nginx and similar proxies buffer responses unless told not to.
      'x-accel-buffering': 'no',
    },
  });
});
