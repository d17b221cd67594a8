'use client';

import { useCan } from '@/client/session.ts';
import { Notice } from '@/components/ui/problem-alert.tsx';
import type { ReactNode } from 'react';

/** Access management is for admins: others see why the page is empty instead of a 403. */
export function AdminOnly({ what, children }: { what: string; children: ReactNode }) {
  const isAdmin = useCan('administer');
  if (!isAdmin)
    return (
      <Notice tone="warning">
        Only admins of this workspace can see and manage {what}. Ask an admin if you need a change.
      </Notice>
    );
  return <>{children}</>;
}
