'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback } from 'react';

/**
 * Filters live in the URL (`?selector=env%3Dprod&group=region`), so a filtered view can be
 * shared and survives a reload. Empty values are dropped from the URL.
 */
export function useUrlState(): [URLSearchParams, (changes: Record<string, string>) => void] {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const update = useCallback(
    (changes: Record<string, string>) => {
      const next = new URLSearchParams(params.toString());
      for (const [key, value] of Object.entries(changes)) {
        if (value) next.set(key, value);
        else next.delete(key);
      }
      const text = next.toString();
      if (text === params.toString()) return;
      router.replace(text ? `${pathname}?${text}` : pathname, { scroll: false });
    },
    [params, pathname, router],
  );
  return [new URLSearchParams(params.toString()), update];
}
