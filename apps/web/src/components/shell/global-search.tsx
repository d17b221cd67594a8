'use client';

import type { SearchResultDto } from '@flotilla/core';
import { apiFetch, queryString } from '@/client/api.ts';
import { pluralize } from '@/client/format.ts';
import { useDebounced } from '@/client/use-debounced.ts';
import { Dialog } from '@/components/ui/dialog.tsx';
import { ProblemAlert } from '@/components/ui/problem-alert.tsx';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';

const KIND_LABEL: Readonly<Record<SearchResultDto['kind'], string>> = {
  cluster: 'Cluster',
  bundle: 'Bundle',
  gitrepo: 'Repository',
};

export function hrefOf(result: Pick<SearchResultDto, 'kind' | 'id'>): string {
  const base = { cluster: '/clusters', bundle: '/bundles', gitrepo: '/gitrepos' }[result.kind];
  return `${base}/${encodeURIComponent(result.id)}`;
}

/** Keys typed into a field are text, not shortcuts: `/` in a selector box must stay a `/`. */
function isTypingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT';
}

/**
 * The header's search button and the search dialog it opens, also with `/` (outside a text
 * field) or Ctrl-K / ⌘K anywhere. The dialog is an ARIA combobox: type, move with the arrow
 * keys, Enter opens the highlighted result.
 */
export function GlobalSearch() {
  const [isOpen, setIsOpen] = useState(false);

  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      const isCommandK = (event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'k';
      const isSlash =
        event.key === '/' &&
        !event.ctrlKey &&
        !event.metaKey &&
        !event.altKey &&
        !isTypingIn(event.target);
      if (!isCommandK && !isSlash) return;
      event.preventDefault();
      setIsOpen(true);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  return (
    <>
      <button
        type="button"
        onClick={() => setIsOpen(true)}
        aria-keyshortcuts="/ Control+K Meta+K"
        aria-haspopup="dialog"
        className="flex items-center gap-2 rounded-md border border-slate-300 px-2.5 py-1 text-sm text-slate-700 hover:bg-slate-100 dark:border-slate-600 dark:text-slate-200 dark:hover:bg-slate-800"
      >
        <span aria-hidden="true">⌕</span>
        <span>Search</span>
        <kbd
          aria-hidden="true"
          className="hidden rounded border border-slate-300 px-1 font-mono text-xs text-slate-600 sm:inline dark:border-slate-600 dark:text-slate-300"
        >
          /
        </kbd>
      </button>
      <Dialog
        isOpen={isOpen}
        onClose={() => setIsOpen(false)}
        title="Search clusters, bundles and repositories"
        width="max-w-xl"
      >
        {isOpen ? <SearchPanel onDone={() => setIsOpen(false)} /> : null}
      </Dialog>
    </>
  );
}

function SearchPanel({ onDone }: { onDone: () => void }) {
  const router = useRouter();
  const inputRef = useRef<HTMLInputElement>(null);
  const inputId = useId();
  const listId = useId();
  const hintId = useId();
  const [text, setText] = useState('');
  const [active, setActive] = useState(0);
  const q = useDebounced(text.trim(), 200);

  // The native dialog focuses its first button (Close) when it opens, and it opens in the
  // parent's effect, which runs after this one: focus the search box on the next frame.
  useEffect(() => {
    const frame = requestAnimationFrame(() => inputRef.current?.focus());
    return () => cancelAnimationFrame(frame);
  }, []);

  const search = useQuery({
    queryKey: ['search', q],
    queryFn: ({ signal }) =>
      apiFetch<{ items: SearchResultDto[] }>(`/search${queryString({ q, limit: 8 })}`, {
        signal,
      }),
    enabled: q !== '',
    placeholderData: keepPreviousData,
  });
  const results = q === '' ? [] : (search.data?.items ?? []);
  const activeIndex = Math.min(active, Math.max(results.length - 1, 0));
  const optionId = (index: number) => `${listId}-option-${index}`;

  const open = (result: SearchResultDto) => {
    onDone();
    router.push(hrefOf(result));
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (results.length === 0) return;
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      setActive((activeIndex + 1) % results.length);
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setActive((activeIndex - 1 + results.length) % results.length);
    } else if (event.key === 'Home') {
      event.preventDefault();
      setActive(0);
    } else if (event.key === 'End') {
      event.preventDefault();
      setActive(results.length - 1);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const result = results[activeIndex];
      if (result) open(result);
    }
  };

  const isExpanded = results.length > 0;
  return (
    <div className="space-y-3">
      <label htmlFor={inputId} className="sr-only">
        Search
      </label>
      <input
        ref={inputRef}
        id={inputId}
        type="text"
        role="combobox"
        aria-expanded={isExpanded}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-describedby={hintId}
        aria-activedescendant={isExpanded ? optionId(activeIndex) : undefined}
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
        placeholder="Name, or a label such as env=prod"
        autoComplete="off"
        spellCheck={false}
        className="w-full rounded-md border border-slate-400 bg-white px-3 py-2 text-base text-slate-900 placeholder:text-slate-600 dark:border-slate-500 dark:bg-slate-950 dark:text-slate-100 dark:placeholder:text-slate-400"
      />
      <p id={hintId} className="text-xs text-slate-600 dark:text-slate-400">
        Words match names; <code className="font-mono">key=value</code> matches cluster labels. ↑ ↓
        to move, Enter to open, Esc to close.
      </p>
      <ul
        id={listId}
        role="listbox"
        aria-label="Search results"
        className="max-h-[50vh] space-y-1 overflow-y-auto"
      >
        {results.map((result, index) => (
          // The combobox keeps focus (aria-activedescendant); options take clicks, not Tab.
          <li
            key={`${result.kind}-${result.id}`}
            id={optionId(index)}
            role="option"
            aria-selected={index === activeIndex}
            onClick={() => open(result)}
            onMouseMove={() => setActive(index)}
            className={`cursor-pointer rounded-md px-3 py-2 text-sm ${
              index === activeIndex
                ? 'bg-teal-50 text-teal-950 ring-1 ring-teal-700 dark:bg-teal-950 dark:text-teal-50 dark:ring-teal-300'
                : 'text-slate-800 dark:text-slate-200'
            }`}
          >
            <span className="flex flex-wrap items-baseline gap-x-2">
              <span className="font-medium break-all">{result.name}</span>
              <span className="text-xs text-slate-700 dark:text-slate-300">
                {KIND_LABEL[result.kind]} · {result.detail}
              </span>
            </span>
            {Object.keys(result.labels).length > 0 ? (
              <span className="mt-0.5 block truncate font-mono text-xs text-slate-700 dark:text-slate-300">
                {Object.entries(result.labels)
                  .map(([key, value]) => `${key}=${value}`)
                  .join(' ')}
              </span>
            ) : null}
          </li>
        ))}
      </ul>
      <p role="status" className="text-sm text-slate-700 dark:text-slate-300">
        {q === ''
          ? ''
          : search.isPending
            ? 'Searching…'
            : results.length === 0 && !search.error
              ? 'No cluster, bundle or repository matches.'
              : !search.error
                ? `${pluralize(results.length, 'result')}`
                : ''}
      </p>
      {search.error ? <ProblemAlert error={search.error} /> : null}
    </div>
  );
}
