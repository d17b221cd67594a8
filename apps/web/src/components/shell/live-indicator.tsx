'use client';

import { useLiveStatus } from '@/client/live-updates.tsx';

/** Says whether the pages update by themselves; never by colour alone. */
export function LiveIndicator() {
  const status = useLiveStatus();
  if (status === 'down') {
    return (
      <p
        role="status"
        data-testid="live-status"
        className="rounded-md border border-amber-300 bg-amber-50 px-2.5 py-1 text-sm font-medium text-amber-900 dark:border-amber-700 dark:bg-amber-950/60 dark:text-amber-100"
      >
        <span aria-hidden="true">⚠ </span>Live updates disconnected — retrying (refreshing every 15
        s)
      </p>
    );
  }
  return (
    <p
      role="status"
      data-testid="live-status"
      className="text-sm text-slate-600 dark:text-slate-400"
    >
      {status === 'open' ? (
        <>
          <span aria-hidden="true" className="text-emerald-700 dark:text-emerald-300">
            ●{' '}
          </span>
          Live
        </>
      ) : (
        'Connecting…'
      )}
    </p>
  );
}
