'use client';

import { absoluteTime, relativeTime } from '@/client/format.ts';
import { useEffect, useState } from 'react';

/** "3 min ago", kept current; the exact time is in the tooltip and the datetime attribute. */
export function RelativeTime({
  iso,
  prefix = '',
}: {
  iso: string | null | undefined;
  prefix?: string;
}) {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 30_000);
    return () => clearInterval(timer);
  }, []);
  if (!iso) return <span className="text-slate-600 dark:text-slate-400">never</span>;
  return (
    <time dateTime={iso} title={absoluteTime(iso)} suppressHydrationWarning>
      {prefix}
      {relativeTime(iso, now)}
    </time>
  );
}
