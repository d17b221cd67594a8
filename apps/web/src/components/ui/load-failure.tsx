'use client';

import { isProblemError } from '@/client/api.ts';
import Link from 'next/link';
import { Button } from './button.tsx';
import { LINK_CLASS } from './table.tsx';
import { ProblemAlert } from './problem-alert.tsx';

/**
 * What a page shows when its main object did not load: for a 404 (deleted, mistyped, or another
 * workspace's), a "not found" page with a way back to its list; for anything else (the server
 * failing, the network gone), the error and a Retry button, since trying again often works.
 */
export function LoadFailure({
  error,
  what,
  backHref,
  backLabel,
  onRetry,
  isRetrying = false,
}: {
  error: unknown;
  /** The object, as in "Cluster not found". */
  what: string;
  backHref: string;
  backLabel: string;
  onRetry: () => void;
  isRetrying?: boolean;
}) {
  if (isProblemError(error) && error.status === 404) {
    return (
      <div className="max-w-xl">
        <h1 className="text-2xl font-semibold text-slate-900 dark:text-slate-50">
          {what} not found
        </h1>
        <p className="mt-2 text-slate-700 dark:text-slate-300">
          There is no {what.toLowerCase()} at this address in this workspace. It may have been
          deleted, or belong to another workspace.
        </p>
        <Link href={backHref} className={`mt-4 inline-block ${LINK_CLASS} underline`}>
          {backLabel}
        </Link>
      </div>
    );
  }
  return (
    <div className="max-w-xl space-y-3">
      <h1 className="text-2xl font-semibold text-slate-900 dark:text-slate-50">
        Could not load this {what.toLowerCase()}
      </h1>
      <ProblemAlert error={error} />
      <div className="flex flex-wrap items-center gap-3">
        <Button variant="primary" onClick={onRetry} disabled={isRetrying}>
          {isRetrying ? 'Retrying…' : 'Retry'}
        </Button>
        <Link href={backHref} className={LINK_CLASS}>
          {backLabel}
        </Link>
      </div>
    </div>
  );
}
