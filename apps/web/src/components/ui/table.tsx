'use client';

import {
  useEffect,
  useRef,
  useState,
  type ReactNode,
  type TdHTMLAttributes,
  type ThHTMLAttributes,
} from 'react';

/**
 * The frame a wide table scrolls sideways in. When it does scroll (a phone, a long URL), it
 * becomes a named, focusable region so keyboard users can scroll it too (WCAG 2.1.1); when it
 * does not, it stays out of the Tab order.
 */
function ScrollFrame({ label, children }: { label: string; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  const [isScrollable, setIsScrollable] = useState(false);
  useEffect(() => {
    const frame = ref.current;
    if (!frame) return;
    const check = () => setIsScrollable(frame.scrollWidth > frame.clientWidth + 1);
    check();
    const observer = new ResizeObserver(check);
    observer.observe(frame);
    if (frame.firstElementChild) observer.observe(frame.firstElementChild);
    return () => observer.disconnect();
  }, []);
  return (
    <div
      ref={ref}
      {...(isScrollable
        ? { tabIndex: 0, role: 'region', 'aria-label': `${label} (scrolls sideways)` }
        : {})}
      className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900"
    >
      {children}
    </div>
  );
}

/**
 * A data table. `isReflowing` turns each row into a card under 640 px (globals.css,
 * `.table-reflow`): give its cells `data-label` so each line keeps its column's name there.
 */
export function Table({
  label,
  children,
  isReflowing = false,
}: {
  label: string;
  children: ReactNode;
  isReflowing?: boolean;
}) {
  return (
    <ScrollFrame label={label}>
      <table
        className={`w-full border-collapse text-left text-sm ${isReflowing ? 'table-reflow' : ''}`}
        aria-label={label}
      >
        {children}
      </table>
    </ScrollFrame>
  );
}

export function Th({ className = '', ...props }: ThHTMLAttributes<HTMLTableCellElement>) {
  return (
    <th
      scope="col"
      className={`border-b border-slate-200 bg-slate-50 px-3 py-2 text-xs font-semibold tracking-wide text-slate-700 uppercase dark:border-slate-800 dark:bg-slate-900 dark:text-slate-300 ${className}`}
      {...props}
    />
  );
}

export function Td({ className = '', ...props }: TdHTMLAttributes<HTMLTableCellElement>) {
  return (
    <td
      className={`border-b border-slate-100 px-3 py-2 align-top dark:border-slate-800 ${className}`}
      {...props}
    />
  );
}

/**
 * A column header that sorts its table: a button that sets `column` ascending, or descending if
 * it is already ascending; `aria-sort` tells screen readers which column orders the rows.
 */
export function SortableTh({
  column,
  sort,
  onSort,
  children,
  className = '',
}: {
  column: string;
  /** The current sort: `column` or `-column`. */
  sort: string;
  onSort: (sort: string) => void;
  children: ReactNode;
  className?: string;
}) {
  const direction =
    sort === column ? 'ascending' : sort === `-${column}` ? 'descending' : undefined;
  return (
    <Th aria-sort={direction ?? 'none'} className={className}>
      <button
        type="button"
        onClick={() => onSort(direction === 'ascending' ? `-${column}` : column)}
        className="inline-flex items-center gap-1 rounded uppercase hover:text-slate-950 dark:hover:text-white"
      >
        {children}
        <span aria-hidden="true" className="w-3 text-center">
          {direction === 'ascending' ? '▲' : direction === 'descending' ? '▼' : '↕'}
        </span>
      </button>
    </Th>
  );
}

export const LINK_CLASS =
  'font-medium text-teal-800 underline-offset-2 hover:underline dark:text-teal-300';

export const MUTED = 'text-slate-600 dark:text-slate-400';
