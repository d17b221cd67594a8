'use client';

import { Button } from '@/components/ui/button.tsx';
import { LINK_CLASS } from '@/components/ui/table.tsx';
import Link from 'next/link';

/**
 * A page that threw while rendering: say so, keep the navigation (this boundary sits inside the
 * shell), and offer Retry (render the page again) and a way back to the overview.
 */
export default function PageError({ reset }: { error: Error; reset: () => void }) {
  return (
    <div className="max-w-xl space-y-3">
      <h1 className="text-2xl font-semibold text-slate-900 dark:text-slate-50">
        This page failed to load
      </h1>
      <p className="text-slate-700 dark:text-slate-300">
        Something went wrong while showing it. Trying again often works; if it does not, the server
        log says more.
      </p>
      <div className="flex flex-wrap items-center gap-3">
        <Button variant="primary" onClick={reset}>
          Retry
        </Button>
        <Link href="/" className={LINK_CLASS}>
          Go to the overview
        </Link>
      </div>
    </div>
  );
}
