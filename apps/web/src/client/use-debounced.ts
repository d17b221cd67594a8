'use client';

import { useEffect, useState } from 'react';

/** The value, once it has stopped changing for `delayMs` (live filters ask the server per pause, not per key). */
export function useDebounced<T>(value: T, delayMs = 350): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return debounced;
}
