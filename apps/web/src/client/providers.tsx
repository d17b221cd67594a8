'use client';

import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { isProblemError } from './api.ts';

/** A 401 anywhere means the session ended: go to the login page and come back here after. */
function redirectOnUnauthorized(error: unknown): void {
  if (!isProblemError(error) || error.status !== 401) return;
  const { pathname, search } = window.location;
  if (pathname.startsWith('/login')) return;
  window.location.assign(`/login?next=${encodeURIComponent(pathname + search)}`);
}

export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(
    () =>
      new QueryClient({
        queryCache: new QueryCache({ onError: redirectOnUnauthorized }),
        mutationCache: new MutationCache({ onError: redirectOnUnauthorized }),
        defaultOptions: {
          queries: {
            staleTime: 5_000,
            refetchOnWindowFocus: false,
            // Client errors (422 selector, 404) will not improve by asking again.
            retry: (failureCount, error) =>
              failureCount < 1 &&
              !(isProblemError(error) && error.status >= 400 && error.status < 500),
          },
        },
      }),
  );
  return <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
}
