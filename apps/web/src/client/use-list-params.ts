'use client';

import { useCallback, useEffect, useState } from 'react';
import { useDebounced } from './use-debounced.ts';
import { useUrlState } from './use-url-state.ts';

/**
 * A list's name search and sort order, kept in the URL (`?q=edge&sort=-name`) so a filtered,
 * sorted view survives a reload and can be shared. `text` follows the keyboard; `q` (what to ask
 * the server for) follows it after a pause. The default sort is left out of the URL.
 */
export function useListParams<Sort extends string>(
  sorts: readonly Sort[],
  defaultSort: Sort,
): {
  text: string;
  setText: (text: string) => void;
  q: string;
  sort: Sort;
  setSort: (sort: string) => void;
} {
  const [params, setParams] = useUrlState();
  const [text, setText] = useState(params.get('q') ?? '');
  const q = useDebounced(text.trim());
  const fromUrl = params.get('sort');
  const sort = sorts.find((candidate) => candidate === fromUrl) ?? defaultSort;
  useEffect(() => setParams({ q }), [q, setParams]);
  const setSort = useCallback(
    (next: string) => setParams({ sort: next === defaultSort ? '' : next }),
    [defaultSort, setParams],
  );
  return { text, setText, q, sort, setSort };
}
