'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { useDebounced } from './use-debounced.ts';
import { useUrlState } from './use-url-state.ts';

/**
 * A text filter kept in the URL under `key`: `text` follows the keyboard, `value` (what to ask
 * the server for) follows it after a pause and is written to the URL. When the URL changes by
 * itself (a link to the bare list, Back), the box follows it.
 */
export function useUrlText(key: string): {
  text: string;
  setText: (text: string | ((current: string) => string)) => void;
  value: string;
} {
  const [params, setParams] = useUrlState();
  const fromUrl = params.get(key) ?? '';
  const [text, setText] = useState(fromUrl);
  const value = useDebounced(text.trim());
  const written = useRef(fromUrl);
  const setParamsRef = useRef(setParams);
  setParamsRef.current = setParams;

  // Write only when the typed value changes: re-running on every URL change would put back a
  // filter the user just left by following a link to the bare list.
  useEffect(() => {
    written.current = value;
    setParamsRef.current({ [key]: value });
  }, [key, value]);
  useEffect(() => {
    if (fromUrl === written.current) return;
    written.current = fromUrl;
    setText(fromUrl);
  }, [fromUrl]);

  return { text, setText, value };
}

/**
 * A list's name search and sort order, kept in the URL (`?q=edge&sort=-name`) so a filtered,
 * sorted view survives a reload and can be shared. The default sort is left out of the URL.
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
  const { text, setText, value: q } = useUrlText('q');
  const fromUrl = params.get('sort');
  const sort = sorts.find((candidate) => candidate === fromUrl) ?? defaultSort;
  const setSort = useCallback(
    (next: string) => setParams({ sort: next === defaultSort ? '' : next }),
    [defaultSort, setParams],
  );
  return { text, setText, q, sort, setSort };
}
