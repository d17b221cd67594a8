'use client';

import { usePathname, useSearchParams } from 'next/navigation';
import { useCallback } from 'react';

/**
 * Filters live in the URL (`?selector=env%3Dprod&group=region`), so a filtered view can be
 * shared and survives a reload. Empty values are dropped from the URL.
 *
 * Changes are written with the browser's own `history.replaceState`, which Next.js folds into
 * `useSearchParams`, and each one starts from the address bar as it is now, not from the
 * parameters of the last render: two filters written in quick succession (a typed name, then a
 * label chip) both stay, where a router navigation built from a render's snapshot could let the
 * second drop the first while the first was still in flight.
 */
export function useUrlState(): [URLSearchParams, (changes: Record<string, string>) => void] {
  const params = useSearchParams();
  const pathname = usePathname();
  const update = useCallback(
    (changes: Record<string, string>) => {
      const current = window.location.search.replace(/^\?/, '');
      const next = new URLSearchParams(current);
      for (const [key, value] of Object.entries(changes)) {
        if (value) next.set(key, value);
        else next.delete(key);
      }
      const text = next.toString();
      if (text === current) return;
      window.history.replaceState(null, '', text ? `${pathname}?${text}` : pathname);
    },
    [pathname],
  );
  return [new URLSearchParams(params.toString()), update];
}
