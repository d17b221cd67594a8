import type { ReactNode, TdHTMLAttributes, ThHTMLAttributes } from 'react';

export function Table({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <table className="w-full border-collapse text-left text-sm" aria-label={label}>
        {children}
      </table>
    </div>
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

export const LINK_CLASS =
  'font-medium text-teal-800 underline-offset-2 hover:underline dark:text-teal-300';

export const MUTED = 'text-slate-600 dark:text-slate-400';
