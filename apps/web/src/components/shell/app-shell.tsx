'use client';

import { isProblemError } from '@/client/api.ts';
import { LiveUpdatesProvider } from '@/client/live-updates.tsx';
import { useSession } from '@/client/session.ts';
import { Loading } from '@/components/ui/layout.tsx';
import { ProblemAlert } from '@/components/ui/problem-alert.tsx';
import { usePathname, useRouter } from 'next/navigation';
import { Suspense, useEffect, type ReactNode } from 'react';
import { GlobalSearch } from './global-search.tsx';
import { LiveIndicator } from './live-indicator.tsx';
import { MobileNav } from './mobile-nav.tsx';
import { Sidebar } from './sidebar.tsx';
import { ThemeToggle } from './theme-toggle.tsx';
import { UserMenu } from './user-menu.tsx';
import { WorkspaceSwitcher } from './workspace-switcher.tsx';

/**
 * The signed-in frame: sidebar, top bar (workspace, live status, theme, user) and the page.
 * Nothing renders until the session is known; a 401 goes to the login page.
 */
export function AppShell({ children }: { children: ReactNode }) {
  const session = useSession();
  const router = useRouter();
  const pathname = usePathname();
  const isUnauthorized = isProblemError(session.error) && session.error.status === 401;

  useEffect(() => {
    if (isUnauthorized) router.replace(`/login?next=${encodeURIComponent(pathname)}`);
  }, [isUnauthorized, pathname, router]);

  if (session.isPending || isUnauthorized) {
    return (
      <main className="p-8">
        <Loading what={isUnauthorized ? 'Redirecting to sign in' : 'Loading your workspace'} />
      </main>
    );
  }
  // A failed background refetch (the server restarting) keeps the session we have: only a
  // first load that fails replaces the app with the error.
  if (!session.data) {
    return (
      <main className="mx-auto max-w-xl p-8">
        <ProblemAlert
          error={session.error}
          title="Could not load your session"
          onRetry={() => void session.refetch()}
        />
      </main>
    );
  }

  return (
    <LiveUpdatesProvider>
      <a
        href="#main"
        className="sr-only z-50 rounded bg-teal-700 px-3 py-2 text-white focus:not-sr-only focus:fixed focus:top-2 focus:left-2"
      >
        Skip to content
      </a>
      <div className="flex min-h-screen">
        {/* Under 1024 px the sidebar is MobileNav's drawer instead. */}
        <aside className="sticky top-0 hidden h-screen w-56 shrink-0 overflow-y-auto border-r border-slate-200 bg-white lg:block dark:border-slate-800 dark:bg-slate-900">
          <Sidebar />
        </aside>
        <div className="flex min-w-0 flex-1 flex-col">
          <header className="sticky top-0 z-40 flex flex-wrap items-center justify-between gap-x-3 gap-y-2 border-b border-slate-200 bg-white/95 px-3 py-2.5 backdrop-blur sm:px-6 dark:border-slate-800 dark:bg-slate-900/95">
            <div className="flex min-w-0 flex-wrap items-center gap-2">
              <MobileNav />
              <WorkspaceSwitcher session={session.data} />
            </div>
            <div className="flex flex-wrap items-center gap-2 sm:gap-3">
              <GlobalSearch />
              <LiveIndicator />
              <ThemeToggle />
              <UserMenu session={session.data} />
            </div>
          </header>
          <main id="main" tabIndex={-1} className="min-w-0 flex-1 px-3 py-4 sm:px-6 sm:py-6">
            <Suspense fallback={<Loading />}>{children}</Suspense>
          </main>
        </div>
      </div>
    </LiveUpdatesProvider>
  );
}
