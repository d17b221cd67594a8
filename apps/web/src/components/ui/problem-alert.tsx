import type { ReactNode } from 'react';
import { isProblemError } from '@/client/api.ts';

/**
 * An API failure in words: the server's detail, and any field errors not already shown next to
 * their field (pass those paths in `shownPaths`).
 */
export function ProblemAlert({
  error,
  shownPaths = [],
  title,
  onRetry,
}: {
  error: unknown;
  shownPaths?: readonly string[];
  title?: string;
  /** For a failed read: a Retry button (a 5xx or a dropped connection often passes). */
  onRetry?: () => void;
}) {
  if (!error) return null;
  const problem = isProblemError(error) ? error : null;
  const others = problem ? problem.otherErrors(shownPaths) : [];
  const hasFieldErrorsOnly = problem !== null && problem.errors.length > 0 && others.length === 0;
  const detail = problem ? problem.detail : error instanceof Error ? error.message : String(error);
  return (
    <div
      role="alert"
      className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900 dark:border-red-800 dark:bg-red-950/50 dark:text-red-100"
    >
      <p className="font-medium">
        <span aria-hidden="true">✗ </span>
        {title ?? problem?.title ?? 'Something went wrong'}
      </p>
      {hasFieldErrorsOnly ? (
        <p>Check the fields marked below.</p>
      ) : others.length > 0 ? null : (
        <p>{detail}</p>
      )}
      {others.length > 0 ? (
        <ul className="mt-1 list-disc pl-5">
          {others.map((fieldError, index) => (
            <li key={`${fieldError.path}-${index}`}>
              {fieldError.path ? <code className="font-mono">{fieldError.path}</code> : null}
              {fieldError.path ? ': ' : ''}
              {fieldError.message}
            </li>
          ))}
        </ul>
      ) : null}
      {onRetry ? (
        <button
          type="button"
          onClick={onRetry}
          className="mt-2 rounded-md border border-red-400 bg-white px-3 py-1 text-sm font-medium text-red-900 hover:bg-red-100 dark:border-red-700 dark:bg-red-950 dark:text-red-100 dark:hover:bg-red-900"
        >
          Retry
        </button>
      ) : null}
    </div>
  );
}

export function Notice({
  children,
  tone = 'info',
}: {
  children: ReactNode;
  tone?: 'info' | 'success' | 'warning';
}) {
  const colours = {
    info: 'border-sky-300 bg-sky-50 text-sky-900 dark:border-sky-800 dark:bg-sky-950/50 dark:text-sky-100',
    success:
      'border-emerald-300 bg-emerald-50 text-emerald-900 dark:border-emerald-800 dark:bg-emerald-950/50 dark:text-emerald-100',
    warning:
      'border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-800 dark:bg-amber-950/50 dark:text-amber-100',
  }[tone];
  return (
    <div role="status" className={`rounded-md border px-3 py-2 text-sm ${colours}`}>
      {children}
    </div>
  );
}
