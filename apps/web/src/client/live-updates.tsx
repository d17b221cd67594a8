'use client';

import { useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { parseLiveMessage } from './live-message.ts';
import { keysToRefresh } from './query-keys.ts';

export type LiveStatus = 'connecting' | 'open' | 'down';

const LiveStatusContext = createContext<LiveStatus>('connecting');

/** Invalidations are gathered this long: a monitor pass over 50 deployments is one refetch. */
const FLUSH_MS = 500;
/** While the stream is down, active queries are refetched this often instead. */
const POLL_MS = 15_000;
const MAX_RETRY_MS = 15_000;

/**
 * Subscribes to /api/v1/live (server-sent events) and marks the matching queries stale. When
 * the stream drops, the browser retries by itself; when it gives up (a 401, a proxy answering
 * HTML) this reconnects with backoff. Until it is back, pages poll every 15 s.
 */
export function LiveUpdatesProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>('connecting');

  useEffect(() => {
    let source: EventSource | undefined;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let flushTimer: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;
    let hasMissedUpdates = false;
    const pending = new Map<string, readonly unknown[]>();

    const flush = () => {
      flushTimer = undefined;
      for (const queryKey of pending.values()) void queryClient.invalidateQueries({ queryKey });
      pending.clear();
    };

    const connect = () => {
      source = new EventSource('/api/v1/live');
      source.onopen = () => {
        attempt = 0;
        setStatus('open');
        // Whatever changed while we were away was not announced: refresh what is on screen.
        if (hasMissedUpdates) void queryClient.invalidateQueries({ type: 'active' });
        hasMissedUpdates = false;
      };
      source.onmessage = (event: MessageEvent<string>) => {
        for (const update of parseLiveMessage(event.data)) {
          for (const key of keysToRefresh(update)) pending.set(JSON.stringify(key), key);
        }
        if (pending.size > 0 && !flushTimer) flushTimer = setTimeout(flush, FLUSH_MS);
      };
      source.onerror = () => {
        hasMissedUpdates = true;
        setStatus('down');
        if (source?.readyState === EventSource.CLOSED) {
          source.close();
          const delay = Math.min(1000 * 2 ** attempt, MAX_RETRY_MS);
          attempt += 1;
          retryTimer = setTimeout(connect, delay);
        }
      };
    };

    connect();
    return () => {
      source?.close();
      clearTimeout(retryTimer);
      clearTimeout(flushTimer);
    };
  }, [queryClient]);

  useEffect(() => {
    if (status !== 'down') return;
    const timer = setInterval(
      () => void queryClient.invalidateQueries({ type: 'active' }),
      POLL_MS,
    );
    return () => clearInterval(timer);
  }, [status, queryClient]);

  return <LiveStatusContext.Provider value={status}>{children}</LiveStatusContext.Provider>;
}

export function useLiveStatus(): LiveStatus {
  return useContext(LiveStatusContext);
}
