import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { Providers } from '@/client/providers.tsx';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Flotilla', template: '%s · Flotilla' },
  description: 'Git as the single source of truth for a fleet of Kubernetes clusters',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    // theme-init.js sets the `dark` class before React hydrates: the mismatch is expected.
    <html lang="en" suppressHydrationWarning>
      <head>
        {/* Synchronous on purpose: it must run before the first paint to avoid a light flash. */}
        <script src="/theme-init.js" />
      </head>
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased dark:bg-slate-950 dark:text-slate-100">
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
