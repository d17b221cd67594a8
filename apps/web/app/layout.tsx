import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { Providers } from '@/client/providers.tsx';
import './globals.css';

export const metadata: Metadata = {
  title: 'Flotilla',
  description: 'Git as the single source of truth for a fleet of Kubernetes clusters',
  icons: { icon: '/favicon.svg' },
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" suppressHydrationWarning>
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased dark:bg-slate-950 dark:text-slate-100">
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
